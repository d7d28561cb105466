"""Backup and restore of every table: a portable zip archive that SQLite and PostgreSQL both read.

The archive holds `manifest.json` (format, Alembic revision, tables, columns, row counts) and one
JSON-lines file per table, `tables/<name>.jsonl`, one JSON array per row in primary-key order.
Values are written as stored: ID numbers and phones stay encrypted, money stays in whole 分, JSON
columns keep their text (so SQL NULL and JSON null stay apart). The data key is never written.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from flask import current_app

from matchmaker.errors import DomainError
from matchmaker.extensions import db

FORMAT = "matchmaker-backup"
VERSION = 1
MANIFEST = "manifest.json"
BATCH = 1000
#: what `matchmaker init` writes by itself: a database holding only these rows counts as empty
GAZETTEER_TABLES = {"regions"}


class BackupError(DomainError):
    code = "backup_error"


@dataclass(frozen=True)
class Codec:
    """How one column is read as stored, written to JSON, and bound again on restore."""

    column: sa.Column
    storage: sa.types.TypeEngine

    @classmethod
    def of(cls, column: sa.Column) -> Codec:
        kind = column.type
        if isinstance(kind, sa.JSON):
            return cls(column, sa.Text())
        if isinstance(kind, sa.types.TypeDecorator):
            return cls(column, kind.impl_instance)
        if isinstance(kind, sa.Enum):
            return cls(column, sa.String())
        return cls(column, kind)

    @property
    def is_json(self) -> bool:
        return isinstance(self.column.type, sa.JSON)

    def select_expr(self):
        if self.is_json:  # the stored text, not the parsed value: SQL NULL ≠ JSON null
            return sa.cast(self.column, sa.Text)
        return sa.type_coerce(self.column, self.storage)

    def bind_expr(self, dialect: str):
        param = sa.bindparam("p_" + self.column.name, type_=self.storage)
        if self.is_json and dialect == "postgresql":
            return sa.cast(param, self.column.type)
        return param

    def encode(self, value):
        if isinstance(value, (datetime, date, time)):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, bytes):
            return base64.b64encode(value).decode("ascii")
        return value

    def decode(self, value):
        if value is None:
            return None
        storage = self.storage
        if isinstance(storage, sa.DateTime):
            return datetime.fromisoformat(value)
        if isinstance(storage, sa.Date):
            return date.fromisoformat(value)
        if isinstance(storage, sa.Time):
            return time.fromisoformat(value)
        if isinstance(storage, sa.LargeBinary):
            return base64.b64decode(value)
        if isinstance(storage, sa.Numeric) and not isinstance(storage, sa.Float):
            return Decimal(value)
        return value


def tables() -> list[sa.Table]:
    """Every table of the models, parents before children."""
    return list(db.metadata.sorted_tables)


def codecs(table: sa.Table) -> list[Codec]:
    return [Codec.of(column) for column in table.columns]


def key_fingerprint() -> str:
    """A check value of MATCHMAKER_DATA_KEY: tells whether two keys match, reveals neither."""
    key = current_app.config["DATA_KEY"].encode()
    return hmac.new(key, b"matchmaker backup key check", hashlib.sha256).hexdigest()[:16]


def revision(connection: sa.Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def check_schema(connection: sa.Connection) -> None:
    """The database has every table of the models: it is migrated to this code's revision."""
    present = set(sa.inspect(connection).get_table_names())
    missing = [t.name for t in tables() if t.name not in present]
    if missing:
        raise BackupError(f"数据库缺少表 {', '.join(missing)};请先运行 matchmaker init 升级数据库")


# --- backup -------------------------------------------------------------------------------------

def write_backup(path: Path) -> dict:
    """Write the archive to path (through a temporary file, renamed when complete); the manifest."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    try:
        with db.engine.connect() as connection, zipfile.ZipFile(
                partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            _snapshot(connection)
            manifest = _manifest(connection)
            check_schema(connection)
            for table, entry in zip(tables(), manifest["tables"]):
                entry["rows"] = _write_table(connection, table, archive, entry["file"])
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _snapshot(connection: sa.Connection) -> None:
    """Read every table from one point in time, while the app keeps writing."""
    if connection.dialect.name == "postgresql":
        connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")  # pysqlite would not open a read transaction itself


def _manifest(connection: sa.Connection) -> dict:
    current = revision(connection)
    if current is None:
        raise BackupError("数据库尚未初始化,请先运行 matchmaker init")
    return {
        "format": FORMAT, "version": VERSION, "alembic_revision": current,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "source_dialect": connection.dialect.name,
        "data_key_included": False, "data_key_fingerprint": key_fingerprint(),
        "tables": [{"name": t.name, "file": f"tables/{t.name}.jsonl",
                    "columns": [c.name for c in t.columns], "rows": 0} for t in tables()],
    }


def _write_table(connection, table: sa.Table, archive: zipfile.ZipFile, name: str) -> int:
    columns = codecs(table)
    query = sa.select(*[c.select_expr() for c in columns]).order_by(*table.primary_key.columns)
    rows = 0
    with archive.open(name, "w", force_zip64=True) as raw, io.TextIOWrapper(
            raw, encoding="utf-8", newline="\n") as out:
        result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(query)
        for row in result:
            values = [codec.encode(value) for codec, value in zip(columns, row)]
            out.write(json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n")
            rows += 1
    return rows


# --- restore ------------------------------------------------------------------------------------

def read_manifest(archive: zipfile.ZipFile) -> dict:
    """The archive's manifest, checked against this code's tables and columns."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise BackupError("备份文件缺少有效的清单 manifest.json") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("不是 matchmaker 的备份文件")
    if manifest.get("version") != VERSION:
        raise BackupError(f"不支持的备份格式版本 {manifest.get('version')}")
    expected = {t.name: [c.name for c in t.columns] for t in tables()}
    found = {t.get("name"): t.get("columns") for t in manifest.get("tables", [])}
    if found != expected:
        raise BackupError("备份文件中的表或字段与当前程序的数据结构不一致")
    return manifest


def open_archive(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise BackupError(f"找不到备份文件 {path}") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"无法读取备份文件 {path}: 不是有效的 zip 归档") from exc


def check_target(manifest: dict, force: bool) -> None:
    """Refuse another schema revision, and a database holding data unless forced."""
    current = revision(db.session.connection())
    wanted = manifest.get("alembic_revision")
    if current != wanted:
        raise BackupError(f"备份的数据库版本 {wanted} 与目标数据库版本 {current} 不一致,拒绝恢复")
    check_schema(db.session.connection())
    if not force and not is_empty():
        raise BackupError("目标数据库已有数据;确认要覆盖请加 --force")


def is_empty() -> bool:
    """No rows beyond the gazetteer regions that `matchmaker init` loads."""
    for table in tables():
        if table.name in GAZETTEER_TABLES:
            continue
        if db.session.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
            return False
    return True


def restore_backup(archive: zipfile.ZipFile, manifest: dict) -> dict[str, int]:
    """Replace every row with the archive's, in foreign-key order, in the session's transaction.

    The caller checks the target first (check_target) and commits; any error leaves it unchanged.
    """
    connection = db.session.connection()
    for table in reversed(tables()):
        _empty(connection, table)
    restored = {}
    for table, entry in zip(tables(), manifest["tables"]):
        restored[table.name] = _restore_table(connection, table, archive, entry)
        if restored[table.name] != entry["rows"]:
            raise BackupError(f"备份文件不完整: 表 {table.name} 应有 {entry['rows']} 行,"
                              f"读到 {restored[table.name]} 行")
    if connection.dialect.name == "postgresql":
        _reset_sequences(connection)
    return restored


def _empty(connection, table: sa.Table) -> None:
    # SQLite checks ON DELETE RESTRICT row by row: unlink a table's rows from each other first
    links = {fk.parent.name: None for fk in table.foreign_keys if fk.column.table is table}
    if links:
        connection.execute(sa.update(table).values(links))
    connection.execute(sa.delete(table))


def _restore_table(connection, table: sa.Table, archive: zipfile.ZipFile, entry: dict) -> int:
    columns = codecs(table)
    dialect = connection.dialect.name
    insert = sa.insert(table).values({c.column.name: c.bind_expr(dialect) for c in columns})
    forward = _ForwardReferences(table)
    batch, rows = [], 0
    for values in _lines(archive, entry["file"]):
        params = {"p_" + c.column.name: c.decode(v) for c, v in zip(columns, values)}
        batch.append(forward.hold_back(params))
        rows += 1
        if len(batch) >= BATCH:
            connection.execute(insert, batch)
            batch = []
    if batch:
        connection.execute(insert, batch)
    forward.apply(connection)
    return rows


def _lines(archive: zipfile.ZipFile, name: str):
    try:
        with archive.open(name) as raw:
            for number, line in enumerate(io.TextIOWrapper(raw, encoding="utf-8"), 1):
                values = json.loads(line)
                if not isinstance(values, list):
                    raise ValueError(f"line {number} is not a row")
                yield values
    except KeyError as exc:
        raise BackupError(f"备份文件缺少 {name}") from exc
    except (ValueError, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise BackupError(f"备份文件已损坏: {name} ({exc})") from exc


class _ForwardReferences:
    """A row pointing at a later row of its own table (a moved region) is linked afterwards."""

    def __init__(self, table: sa.Table):
        self.table = table
        (self.key,) = table.primary_key.columns if len(table.primary_key.columns) == 1 else (None,)
        self.columns = [fk.parent.name for fk in table.foreign_keys
                        if fk.column.table is table and self.key is not None]
        self.pending: list[tuple[object, str, object]] = []

    def hold_back(self, params: dict) -> dict:
        row_id = params.get("p_" + self.key.name) if self.key is not None else None
        for name in self.columns:
            target = params["p_" + name]
            if target is not None and target > row_id:
                self.pending.append((row_id, name, target))
                params["p_" + name] = None
        return params

    def apply(self, connection) -> None:
        for row_id, name, target in self.pending:
            connection.execute(sa.update(self.table).where(self.key == row_id)
                               .values({name: target}))


def _reset_sequences(connection) -> None:
    """Explicit ids were inserted: move each table's id sequence past the largest one."""
    for table in tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, sa.Integer):
            continue
        quote = connection.dialect.identifier_preparer.quote
        largest = f"(SELECT MAX({quote(keys[0].name)}) FROM {quote(table.name)})"
        connection.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence(:table, :column), COALESCE({largest}, 1), "
            f"{largest} IS NOT NULL)"), {"table": quote(table.name), "column": keys[0].name})


def row_total(counts: dict[str, int] | list[dict]) -> int:
    if isinstance(counts, dict):
        return sum(counts.values())
    return sum(entry["rows"] for entry in counts)
