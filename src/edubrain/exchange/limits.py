"""Caps on what a submitted file may expand to, checked before a table is built from it.

A file's size on disk says little about what reading it costs: an XLSX is a
zip archive whose sheet can inflate a thousandfold (a 2.5 MB "zip bomb"
took openpyxl to 17.7 GB), and a CSV header of 100,000 columns makes a frame
of 100,000 columns. The readers check these caps first, from the zip
directory and the header, and count rows as they stream, so a hostile file
is refused in milliseconds with bounded memory.

The caps are settings (``EDUBRAIN_MAX_UNCOMPRESSED_MB``,
``EDUBRAIN_MAX_COMPRESSION_RATIO``, ``EDUBRAIN_MAX_ROWS``,
``EDUBRAIN_MAX_COLUMNS``); see :class:`edubrain.config.Settings`.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from edubrain.config import Settings
from edubrain.errors import InputFileError

MB = 1 << 20
RATIO_FLOOR = MB
"""Zip members smaller than this (uncompressed) are not held to the ratio cap: a small part may compress very well."""


class FileTooLargeError(InputFileError):
    """A file that would expand beyond a size cap when read (the API answers 413)."""

    code = "payload_too_large"


@dataclass(frozen=True)
class ReadLimits:
    """The caps a reader enforces (defaults as in :class:`~edubrain.config.Settings`).

    Attributes:
        max_uncompressed_mb: Total uncompressed size of an XLSX's zip members, in MB.
        max_compression_ratio: Uncompressed / compressed size of any XLSX member over 1 MB.
        max_rows: Data rows (not counting the header) of any file.
        max_columns: Columns of the header row of any file.
    """

    max_uncompressed_mb: int = 256
    max_compression_ratio: int = 100
    max_rows: int = 5_000_000
    max_columns: int = 500

    @classmethod
    def of(cls, settings: Settings) -> ReadLimits:
        """The caps configured in ``settings``."""
        return cls(
            max_uncompressed_mb=settings.max_uncompressed_mb,
            max_compression_ratio=settings.max_compression_ratio,
            max_rows=settings.max_rows,
            max_columns=settings.max_columns,
        )

    def check_columns(self, count: int, path: Path) -> None:
        """Refuse a header of more than ``max_columns`` columns.

        Raises:
            InputFileError: the file is too wide.
        """
        if count > self.max_columns:
            raise InputFileError(
                f"文件 {path.name} 有 {count} 列，超过上限 {self.max_columns} 列（EDUBRAIN_MAX_COLUMNS）",
                f"File {path.name} has {count} columns, over the limit of {self.max_columns} (EDUBRAIN_MAX_COLUMNS)",
                file=str(path),
                columns=count,
                limit=self.max_columns,
                setting="EDUBRAIN_MAX_COLUMNS",
            )

    def check_rows(self, count: int, path: Path) -> None:
        """Refuse a file of more than ``max_rows`` data rows (``count`` may stop at ``max_rows + 1``).

        Raises:
            InputFileError: the file is too long.
        """
        if count > self.max_rows:
            raise InputFileError(
                f"文件 {path.name} 的数据行超过上限 {self.max_rows} 行（EDUBRAIN_MAX_ROWS）：请分批报送",
                f"File {path.name} has more than {self.max_rows} data rows (EDUBRAIN_MAX_ROWS): split it",
                file=str(path),
                limit=self.max_rows,
                setting="EDUBRAIN_MAX_ROWS",
            )

    def check_zip(self, data: bytes, path: Path) -> None:
        """Refuse an XLSX whose members inflate beyond the caps, reading only the zip directory.

        The sizes in the directory bound what is read: Python's ``zipfile``
        (which openpyxl uses) stops a member at its declared size, so a
        directory that understates a member cannot smuggle more bytes in.

        Raises:
            FileTooLargeError: total size or a member's compression ratio over its cap.
            InputFileError: the file is not a zip archive.
        """
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
            raise InputFileError(
                f"Excel 文件 {path.name} 无法打开：不是有效的 XLSX（zip）文件",
                f"Excel file {path.name} cannot be opened: not a valid XLSX (zip) file",
                file=str(path),
            ) from exc
        total = sum(m.file_size for m in members)
        if total > self.max_uncompressed_mb * MB:
            raise FileTooLargeError(
                f"Excel 文件 {path.name} 解压后达 {total // MB} MB，超过上限 {self.max_uncompressed_mb} MB"
                "（EDUBRAIN_MAX_UNCOMPRESSED_MB）",
                f"Excel file {path.name} inflates to {total // MB} MB, over the limit of {self.max_uncompressed_mb} MB"
                " (EDUBRAIN_MAX_UNCOMPRESSED_MB)",
                file=str(path),
                uncompressed_mb=total // MB,
                limit=self.max_uncompressed_mb,
                setting="EDUBRAIN_MAX_UNCOMPRESSED_MB",
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > RATIO_FLOOR and ratio > self.max_compression_ratio:
                raise FileTooLargeError(
                    f"Excel 文件 {path.name} 的部件 {member.filename} 压缩比 {ratio:.0f}:1，超过上限"
                    f" {self.max_compression_ratio}:1（EDUBRAIN_MAX_COMPRESSION_RATIO），疑似压缩炸弹",
                    f"Excel file {path.name}: part {member.filename} is compressed {ratio:.0f}:1, over the limit of"
                    f" {self.max_compression_ratio}:1 (EDUBRAIN_MAX_COMPRESSION_RATIO); a zip bomb?",
                    file=str(path),
                    member=member.filename,
                    ratio=round(ratio),
                    limit=self.max_compression_ratio,
                    setting="EDUBRAIN_MAX_COMPRESSION_RATIO",
                )
