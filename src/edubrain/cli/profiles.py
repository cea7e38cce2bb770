"""``edubrain profiles``: recompute the derived profile datasets (学生、教师、学校画像)."""

from __future__ import annotations

import typer

from edubrain.cli.common import FORMAT_OPTION, CommandGroup, OutputFormat, home, print_derived_run

app = CommandGroup(
    help="全息画像：重算学生、教师、学校画像派生数据集 / profiles: recompute the student, teacher and school profiles."
    "\n\nExample: edubrain profiles run",
    no_args_is_help=True,
)


@app.command("run")
def run(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """重算画像派生数据集 / recompute student_profiles, teacher_profiles and school_profiles.

    Reads the current inputs of the lake (the engine of EDUBRAIN_ENGINE), folds merged student numbers into
    their canonical number (identity links), pseudonymises the students and writes each profile dataset as one
    new lake version with its lineage (input versions and the identity link revision). Submitting an input
    dataset or merging identities does this automatically at the end of the session; use this command after
    changing the indicator definitions or the pseudonym key. Prints each dataset written with its new version
    and rows, and the inputs read (--format json for programs).

    Example: edubrain profiles run
    """
    from edubrain.jobs.profiles import run_profiles

    h = home()
    h.ensure_initialised()
    print_derived_run(run_profiles(h), fmt)


def register(parent: typer.Typer) -> None:
    """Add the profiles command group to parent."""
    parent.add_typer(app, name="profiles")
