"""``edubrain users``, ``edubrain roles`` and ``edubrain token``: accounts, roles and node API keys."""

from __future__ import annotations

import getpass
import sys
from typing import Any

import typer
from sqlalchemy import select

from edubrain.cli.common import (
    FORMAT_OPTION,
    JSON_OPTION,
    Col,
    CommandGroup,
    OutputFormat,
    beijing_minute,
    chosen_format,
    console,
    home,
    print_rows,
    t,
)
from edubrain.governance import identity, policy, tokens
from edubrain.governance.audit import record_event
from edubrain.governance.models import ApiKey, RoleGrant, User
from edubrain.store.db import session_scope

users_app = CommandGroup(
    help="用户账户 / user accounts.\n\nExample: edubrain users add zhang --org 1101080001 --role school_admin",
    no_args_is_help=True,
)
token_app = CommandGroup(
    help="节点客户端 API 密钥 / API keys for node clients.\n\nExample: edubrain token create --name haidian-node --org 110108",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the commands to app."""
    app.add_typer(users_app, name="users")
    app.add_typer(token_app, name="token")
    app.command("roles")(roles)


def _operator() -> str:
    """The local operator running the command, as recorded in the audit trail."""
    return f"cli:{getpass.getuser()}"


def _refs(refs: str | None) -> list[str]:
    return [r.strip() for r in (refs or "").split(",") if r.strip()]


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt(t("密码", "Password"), hide_input=True, confirmation_prompt=True)


@users_app.command("add")
def add(
    username: str,
    org: str = typer.Option(..., "--org", help="所属单位代码 / organisation code."),
    role: list[str] = typer.Option([], "--role", help="授予的角色，可重复 / role to grant (repeatable)."),
    refs: str = typer.Option(None, "--refs", help="班级编号或学籍号，逗号分隔 / class ids or student numbers."),
    name: str = typer.Option(None, "--name", help="显示名 / display name."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="从标准输入读取密码 / read the password from stdin."
    ),
) -> None:
    """新建用户并授予角色 / add a user (Argon2id password) and grant roles.

    Example: edubrain users add zhang --org 1101080001 --role school_admin
    """
    h = home()
    h.ensure_initialised()
    password = _password(password_stdin)
    with session_scope(h.engine) as session:
        user = identity.add_user(session, username, password, org, name)
        for role_id in role:
            identity.grant_checked(h, session, username, role_id, org, _refs(refs))
        record_event(
            session, actor=_operator(), action="user_change", org_code=org, detail={"added": username, "roles": role}
        )
    console.print(t(f"已新建用户 {user.username}（{user.id}）", f"Added user {user.username} ({user.id})"))


@users_app.command("list")
def list_users(fmt: OutputFormat = FORMAT_OPTION, as_json: bool = JSON_OPTION) -> None:
    """列出用户及其角色 / list users and their roles.

    Each role is shown as role@organisation, with its classes or pupils in brackets.

    Example: edubrain users list --format csv
    """
    h = home()
    h.ensure_initialised()
    with session_scope(h.engine) as session:
        rows: list[dict[str, Any]] = []
        for user in session.scalars(select(User).order_by(User.username)):
            grants = session.scalars(select(RoleGrant).where(RoleGrant.user_id == user.id))
            rows.append(
                {
                    "username": user.username,
                    "org": user.org_code,
                    "disabled": user.disabled,
                    "roles": [f"{g.role}@{g.org_code}" + (f"[{','.join(g.refs)}]" if g.refs else "") for g in grants],
                }
            )
    columns = [Col("username", "用户名", "username"), Col("org", "单位", "org"), Col("disabled", "停用", "disabled")]
    print_rows(rows, chosen_format(fmt, as_json), [*columns, Col("roles", "角色", "roles")], title=t("用户", "Users"))


@users_app.command("disable")
def disable(username: str) -> None:
    """停用账户并撤销其刷新令牌 / disable an account and revoke its refresh tokens.

    Example: edubrain users disable zhang
    """
    _set_disabled(username, True)


@users_app.command("enable")
def enable(username: str) -> None:
    """重新启用账户 / enable an account again.

    Example: edubrain users enable zhang
    """
    _set_disabled(username, False)


def _set_disabled(username: str, disabled: bool) -> None:
    h = home()
    h.ensure_initialised()
    with session_scope(h.engine) as session:
        user = identity.set_disabled(session, username, disabled)
        revoked = tokens.revoke_refresh_tokens(session, user.id) if disabled else 0
        record_event(
            session, actor=_operator(), action="user_change", org_code=user.org_code,
            detail={"user": username, "disabled": disabled, "refresh_tokens_revoked": revoked},
        )  # fmt: skip
    console.print(
        t(f"{username} 已{'停用' if disabled else '启用'}", f"{username} {'disabled' if disabled else 'enabled'}")
    )


@users_app.command("grant")
def grant(
    username: str,
    role: str,
    org: str = typer.Option(..., "--org", help="角色适用的单位 / organisation the role applies in."),
    refs: str = typer.Option(None, "--refs", help="班级编号或学籍号，逗号分隔 / class ids or student numbers."),
) -> None:
    """授予角色 / grant a role.

    Example: edubrain users grant li teacher --org 1101080001 --refs C2025A,C2025B
    """
    h = home()
    h.ensure_initialised()
    with session_scope(h.engine) as session:
        identity.grant_checked(h, session, username, role, org, _refs(refs))
        record_event(
            session,
            actor=_operator(),
            action="role_change",
            org_code=org,
            detail={"user": username, "granted": role, "refs": _refs(refs)},
        )
    console.print(t(f"已授予 {username} 角色 {role}（{org}）", f"Granted {role} in {org} to {username}"))


@users_app.command("revoke")
def revoke(username: str, role: str, org: str = typer.Option(..., "--org", help="单位 / organisation.")) -> None:
    """撤销角色 / revoke a role.

    Example: edubrain users revoke li teacher --org 1101080001
    """
    h = home()
    h.ensure_initialised()
    with session_scope(h.engine) as session:
        count = identity.revoke_grant(session, username, role, org)
        record_event(
            session, actor=_operator(), action="role_change", org_code=org, detail={"user": username, "revoked": role}
        )
    console.print(t(f"已撤销 {count} 项授权", f"Revoked {count} grant(s)"))


def roles(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """列出角色、范围与密级 / list the roles with their scope and clearance.

    Example: edubrain roles
    """
    rows = [
        {
            "id": r.id,
            "title": t(r.title_zh, r.title_en),
            "scope": r.scope,
            "clearance": r.clearance,
            "purpose_unmask": r.purpose_unmask,
        }
        for r in policy.roles().values()
    ]
    columns = [
        Col("id", "角色", "role"),
        Col("title", "名称", "title", "text"),
        Col("scope", "范围", "scope"),
        Col("clearance", "密级", "clearance"),
        Col("purpose_unmask", "可按用途解除脱敏", "purpose unmask"),
    ]
    print_rows(rows, fmt, columns, title=t("角色", "Roles"))


@token_app.command("create")
def token_create(
    name: str = typer.Option(..., "--name", help="客户端名称 / client name."),
    org: str = typer.Option(..., "--org", help="节点所属单位 / the node's organisation."),
) -> None:
    """为区或学校的节点客户端创建 API 密钥（只显示一次） / create a node API key (shown once).

    Example: edubrain token create --name haidian-node --org 110108
    """
    h = home()
    h.ensure_initialised()
    with session_scope(h.engine) as session:
        key_id, secret = tokens.create_api_key(session, name, org)
        record_event(
            session, actor=_operator(), action="key_change", org_code=org, detail={"created": key_id, "name": name}
        )
    console.print(t(f"密钥 {key_id}（请妥善保存，只显示一次）：", f"Key {key_id} (store it now; it is shown once):"))
    typer.echo(secret)


@token_app.command("revoke")
def token_revoke(key_id: str) -> None:
    """撤销 API 密钥 / revoke an API key.

    Example: edubrain token revoke 3f2a9c0d1e2b4a5c
    """
    h = home()
    h.ensure_initialised()
    with session_scope(h.engine) as session:
        tokens.revoke_api_key(session, key_id)
        record_event(session, actor=_operator(), action="key_change", detail={"revoked": key_id})
    console.print(t(f"已撤销 {key_id}", f"Revoked {key_id}"))


@token_app.command("list")
def token_list(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """列出 API 密钥（不含密钥本身） / list API keys (never the secrets).

    Example: edubrain token list
    """
    h = home()
    h.ensure_initialised()
    with session_scope(h.engine) as session:
        rows = [
            {
                "id": k.id,
                "name": k.name,
                "org": k.org_code,
                "created": beijing_minute(k.created_at),
                "revoked": k.revoked_at and beijing_minute(k.revoked_at),
                "last_used": k.last_used_at and beijing_minute(k.last_used_at),
            }
            for k in session.scalars(select(ApiKey).order_by(ApiKey.created_at))
        ]
    columns = [Col("id", "密钥", "key"), Col("name", "名称", "name", "text"), Col("org", "单位", "org")]
    columns += [
        Col("created", "创建", "created"),
        Col("revoked", "撤销", "revoked"),
        Col("last_used", "最近使用", "last used"),
    ]
    print_rows(rows, fmt, columns, title=t("API 密钥（北京时间）", "API keys (Beijing time)"))
