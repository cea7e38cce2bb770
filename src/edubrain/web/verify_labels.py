"""Chinese and English wording of the public credential verification page (``pages_verify``)."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "title": ("验证学分凭证", "Verify a credential"),
    "intro": (
        "任何人都可以在这里验证教育数据大脑签发的学分银行凭证和开放徽章（Open Badges 3.0）：粘贴凭证内容，"
        "或选择凭证文件。验证在本平台离线完成，不访问外部网络，不需要登录，也不保存您提交的凭证。",
        "Anyone can check a credit-bank credential or Open Badge (Open Badges 3.0) issued by EduBrain here: paste "
        "the credential or choose its file. Verification runs offline on this platform, needs no login, and the "
        "credential you submit is not stored.",
    ),
    "accepted": (
        "支持：带数据完整性证明（eddsa-rdfc-2022）的 JSON-LD 凭证，或 VC-JWT；最大 256 KiB。",
        "Accepted: a JSON-LD credential with a Data Integrity proof (eddsa-rdfc-2022), or a VC-JWT; at most 256 KiB.",
    ),
    "paste": ("凭证内容", "Credential"),
    "paste_hint": ("在此粘贴 JSON 凭证或 VC-JWT", "Paste a JSON credential or a VC-JWT here"),
    "file": ("或选择文件（.json / .jwt）", "Or choose a file (.json / .jwt)"),
    "file_too_large": ("文件超过 256 KiB，无法验证。", "The file is over 256 KiB and cannot be verified."),
    "verify": ("验证", "Verify"),
    "result": ("验证结果", "Result"),
    "checks": ("各项检查", "Checks"),
    "details": ("凭证内容摘要", "What the credential says"),
    "details_unsigned": (
        "以下内容来自提交的凭证本身；签名无效时不可信。",
        "Taken from the submitted credential itself; not to be trusted when the signature is invalid.",
    ),
    "again": ("验证另一份凭证", "Verify another credential"),
    "input_error": ("无法读取提交的内容", "The submission could not be read"),
    "docs": ("验证方法说明见平台文档 docs/credentials.md。", "How verification works: docs/credentials.md."),
    # verdicts: (zh, en) shown together
    "verdict_valid": ("有效", "Valid"),
    "verdict_invalid": ("无效", "Invalid"),
    "verdict_incomplete": ("无法完全验证", "Could not be fully verified"),
    "verdict_valid_note": ("所有检查均已通过。", "Every check passed."),
    "verdict_invalid_note": (
        "至少一项检查未通过，请勿采信此凭证。",
        "At least one check failed: do not rely on this credential.",
    ),
    "verdict_incomplete_note": (
        "没有检查未通过，但有检查无法离线进行，因此不能确认凭证有效。",
        "No check failed, but some could not be carried out offline, so the credential cannot be confirmed valid.",
    ),
    # checks
    "check_format": ("凭证格式", "Format"),
    "check_contexts": ("上下文固定", "Context pinning"),
    "check_issuer": ("签发者", "Issuer"),
    "check_proof": ("证明 / 签名", "Proof / signature"),
    "check_validity": ("有效期", "Validity period"),
    "check_status": ("状态（是否撤销）", "Status (revoked or not)"),
    "state_passed": ("通过", "Passed"),
    "state_failed": ("未通过", "Failed"),
    "state_unchecked": ("无法检查", "Not checked"),
    "state_none": ("不适用", "Not applicable"),
    # summary fields
    "name": ("凭证名称", "Name"),
    "achievement": ("成果", "Achievement"),
    "issuer_name": ("签发单位", "Issuer"),
    "issuer_id": ("签发者标识", "Issuer id"),
    "subject_id": ("学习者（假名）", "Learner (pseudonym)"),
    "credits_earned": ("获得学分", "Credits earned"),
    "credits_available": ("成果学分", "Credits of the achievement"),
    "valid_from": ("生效时间", "Valid from"),
    "valid_until": ("有效期至", "Valid until"),
    "id": ("凭证标识", "Credential id"),
    "format": ("格式", "Format"),
    "format_data-integrity": ("JSON-LD（数据完整性证明）", "JSON-LD (Data Integrity proof)"),
    "format_vc+jwt": ("VC-JWT", "VC-JWT"),
}
SUMMARY_FIELDS = (
    "name",
    "achievement",
    "issuer_name",
    "issuer_id",
    "subject_id",
    "credits_earned",
    "credits_available",
    "valid_from",
    "valid_until",
    "id",
)


def label(key: str, lang: str) -> str:
    """The wording of ``key`` in ``lang`` (``zh`` or ``en``)."""
    zh, en = LABELS[key]
    return zh if lang == "zh" else en


def both(key: str, lang: str) -> str:
    """Both languages, the page's first: ``有效 / Valid`` on the Chinese page, ``Valid / 有效`` on the English."""
    zh, en = LABELS[key]
    return f"{zh} / {en}" if lang == "zh" else f"{en} / {zh}"
