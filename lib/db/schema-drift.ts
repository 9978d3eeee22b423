import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import pg from "pg";

// Compares prisma/schema.prisma with a migrated database, because our migrations are
// hand-written SQL (no schema engine here) and nothing else would notice when they disagree.
// Both sides are reduced to the same shape, with column types spelled as Postgres'
// format_type() spells them, so the comparison is plain string equality.

export const SCHEMA_PATH = path.join(process.cwd(), "prisma", "schema.prisma");
const HISTORY_TABLE = "_prisma_migrations";

export type ColumnShape = { type: string; notNull: boolean };
export type TableShape = {
  columns: Map<string, ColumnShape>;
  /** Canonical definitions, e.g. `UNIQUE (connectorId, messageId)` or `INDEX (status, lastSeenAt DESC)`. */
  indexes: Set<string>;
  /** Canonical definitions, e.g. `(connectorId) REFERENCES Connector (id) ON DELETE CASCADE`. */
  foreignKeys: Set<string>;
};
export type SchemaShape = { tables: Map<string, TableShape>; enums: Map<string, string[]> };

/** Every difference between the schema file and the database, as readable sentences; empty when they agree. */
export async function schemaDrift(connectionString: string, schemaPath = SCHEMA_PATH): Promise<string[]> {
  const expected = expectedShape(await readFile(schemaPath, "utf8"));
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return diffShapes(expected, await databaseShape(client));
  } finally {
    await client.end();
  }
}

export function diffShapes(expected: SchemaShape, actual: SchemaShape): string[] {
  const out: string[] = [];
  for (const [name, values] of expected.enums) {
    const found = actual.enums.get(name);
    if (!found) { out.push(`Enum ${name} is missing from the database.`); continue; }
    for (const v of values) if (!found.includes(v)) out.push(`Enum ${name} is missing value ${v} in the database.`);
    for (const v of found) if (!values.includes(v)) out.push(`Enum ${name} has value ${v} in the database but not in schema.prisma.`);
  }
  for (const name of actual.enums.keys()) if (!expected.enums.has(name)) out.push(`Enum ${name} exists in the database but not in schema.prisma.`);

  for (const [name, table] of expected.tables) {
    const found = actual.tables.get(name);
    if (!found) out.push(`Table ${name} is missing from the database.`);
    else out.push(...diffTable(name, table, found));
  }
  for (const name of actual.tables.keys()) if (!expected.tables.has(name)) out.push(`Table ${name} exists in the database but not in schema.prisma.`);
  return out;
}

function diffTable(table: string, expected: TableShape, actual: TableShape): string[] {
  const out: string[] = [];
  for (const [name, column] of expected.columns) {
    const found = actual.columns.get(name);
    if (!found) out.push(`Column ${table}.${name} (${column.type}) is missing from the database.`);
    else {
      if (found.type !== column.type) out.push(`Column ${table}.${name} has type ${found.type} in the database, schema.prisma says ${column.type}.`);
      if (found.notNull !== column.notNull) out.push(`Column ${table}.${name} is ${nullability(found.notNull)} in the database, schema.prisma says ${nullability(column.notNull)}.`);
    }
  }
  for (const name of actual.columns.keys()) if (!expected.columns.has(name)) out.push(`Column ${table}.${name} exists in the database but not in schema.prisma.`);
  out.push(...diffSets(`${table}: index`, expected.indexes, actual.indexes));
  out.push(...diffSets(`${table}: foreign key`, expected.foreignKeys, actual.foreignKeys));
  return out;
}

function diffSets(label: string, expected: Set<string>, actual: Set<string>): string[] {
  const out: string[] = [];
  for (const item of expected) if (!actual.has(item)) out.push(`${label} ${item} is missing from the database.`);
  for (const item of actual) if (!expected.has(item)) out.push(`${label} ${item} exists in the database but not in schema.prisma.`);
  return out;
}

// ---- The schema file side -------------------------------------------------------------------

type DmmfField = {
  name: string; dbName?: string | null; kind: string; type: string; isList: boolean; isRequired: boolean;
  nativeType?: [string, string[]] | null; relationFromFields?: string[]; relationToFields?: string[]; relationOnDelete?: string;
};
type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[] };
type DmmfIndex = { model: string; type: string; fields: { name: string; sortOrder?: string }[] };
type DmmfEnum = { name: string; dbName: string | null; values: { name: string; dbName: string | null }[] };
type Datamodel = { models: DmmfModel[]; enums: DmmfEnum[]; indexes: DmmfIndex[] };

export function expectedShape(prismaSchema: string): SchemaShape {
  const { datamodel } = JSON.parse(dmmf(prismaSchema)) as { datamodel: Datamodel };
  const enumDbNames = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const models = new Map(datamodel.models.map((m) => [m.name, m]));
  const enums = new Map(datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)]));
  const tables = new Map<string, TableShape>();
  for (const model of datamodel.models) {
    const columns = new Map<string, ColumnShape>();
    const foreignKeys = new Set<string>();
    for (const field of model.fields) {
      if (field.kind === "scalar" || field.kind === "enum") {
        // Prisma creates scalar-list columns without NOT NULL.
        columns.set(columnName(field), { type: expectedType(field, enumDbNames), notNull: field.isRequired && !field.isList });
      } else if (field.kind === "object" && field.relationFromFields?.length) {
        const target = models.get(field.type);
        if (target) foreignKeys.add(expectedForeignKey(model, field, target));
      }
    }
    const indexes = new Set(
      datamodel.indexes
        .filter((i) => i.model === model.name && ["id", "unique", "normal"].includes(i.type))
        .map((i) => indexDefinition(INDEX_KINDS[i.type] ?? "INDEX", i.fields.map((f) => `${columnName(fieldOf(model, f.name))}${f.sortOrder === "desc" ? " DESC" : ""}`))),
    );
    tables.set(model.dbName ?? model.name, { columns, indexes, foreignKeys });
  }
  return { tables, enums };
}

function dmmf(prismaSchema: string): string {
  try {
    return get_dmmf(JSON.stringify({ prismaSchema }));
  } catch (error) {
    // The engine throws its error as JSON with ANSI colours; keep just the readable message.
    const raw = error instanceof Error ? error.message : String(error);
    const message = (JSON.parse(raw) as { message?: string }).message ?? raw;
    throw new Error(`schema.prisma is not valid:\n${message.replace(/\u001b\[[0-9;]*m/g, "")}`);
  }
}

const INDEX_KINDS: Record<string, string> = { id: "PRIMARY KEY", unique: "UNIQUE", normal: "INDEX" };

// Postgres' default for each Prisma scalar, then the @db.* native types, spelled as format_type() does.
const SCALAR_TYPES: Record<string, string> = {
  String: "text", Int: "integer", BigInt: "bigint", Float: "double precision", Decimal: "numeric(65,30)",
  Boolean: "boolean", DateTime: "timestamp(3) without time zone", Json: "jsonb", Bytes: "bytea",
};
const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Text: () => "text", VarChar: (a) => `character varying${parens(a)}`, Char: (a) => `character${parens(a)}`,
  Uuid: () => "uuid", Xml: () => "xml", Inet: () => "inet", Citext: () => "citext",
  Bit: (a) => `bit${parens(a)}`, VarBit: (a) => `bit varying${parens(a)}`,
  SmallInt: () => "smallint", Integer: () => "integer", Oid: () => "oid", BigInt: () => "bigint",
  Real: () => "real", DoublePrecision: () => "double precision", Decimal: (a) => `numeric${parens(a)}`, Money: () => "money",
  Timestamp: (a) => `timestamp${parens(a)} without time zone`, Timestamptz: (a) => `timestamp${parens(a)} with time zone`,
  Date: () => "date", Time: (a) => `time${parens(a)} without time zone`, Timetz: (a) => `time${parens(a)} with time zone`,
  Json: () => "json", JsonB: () => "jsonb", ByteA: () => "bytea", Boolean: () => "boolean",
};

function expectedType(field: DmmfField, enumDbNames: Map<string, string>): string {
  const base = field.kind === "enum" ? (enumDbNames.get(field.type) ?? field.type) : scalarType(field);
  return field.isList ? `${base}[]` : base;
}

function scalarType(field: DmmfField): string {
  if (field.nativeType) {
    const [name, args] = field.nativeType;
    return NATIVE_TYPES[name]?.(args) ?? `unsupported native type @db.${name}`;
  }
  return SCALAR_TYPES[field.type] ?? `unsupported type ${field.type}`;
}

function expectedForeignKey(model: DmmfModel, field: DmmfField, target: DmmfModel): string {
  const from = (field.relationFromFields ?? []).map((f) => columnName(fieldOf(model, f)));
  const to = (field.relationToFields ?? []).map((f) => columnName(fieldOf(target, f)));
  // Prisma's defaults when onDelete is not written: Restrict for required relations, SetNull for optional.
  const onDelete = field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull");
  return foreignKeyDefinition(from, target.dbName ?? target.name, to, ON_DELETE_FROM_PRISMA[onDelete] ?? onDelete);
}

const ON_DELETE_FROM_PRISMA: Record<string, string> = {
  Cascade: "CASCADE", Restrict: "RESTRICT", NoAction: "NO ACTION", SetNull: "SET NULL", SetDefault: "SET DEFAULT",
};

function fieldOf(model: DmmfModel, name: string): DmmfField {
  const field = model.fields.find((f) => f.name === name);
  if (!field) throw new Error(`schema.prisma: ${model.name} has no field ${name}`);
  return field;
}

function columnName(field: DmmfField): string {
  return field.dbName ?? field.name;
}

// ---- The database side ----------------------------------------------------------------------

// A partitioned table is compared as its parent: the partitions (relispartition), with the
// indexes and foreign keys they inherit from it, are left out, so a partition created or dropped
// by the retention is no drift, while an index missing on the parent still is.
export async function databaseShape(client: pg.Client): Promise<SchemaShape> {
  // One query at a time: pg deprecates overlapping queries on one client.
  const columns = await client.query<{ table: string; column: string | null; type: string | null; not_null: boolean | null }>(`
      SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> $1`, [HISTORY_TABLE]);
  const indexes = await client.query<{ table: string; primary: boolean; unique: boolean; columns: string[] }>(`
      SELECT t.relname AS table, ix.indisprimary AS primary, ix.indisunique AS unique,
        ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) || CASE WHEN ix.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END
              FROM generate_series(1, ix.indnkeyatts) AS k ORDER BY k) AS columns
      FROM pg_index ix
      JOIN pg_class t ON t.oid = ix.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema() AND NOT t.relispartition AND t.relname <> $1`, [HISTORY_TABLE]);
  const foreignKeys = await client.query<{ table: string; ref_table: string; on_delete: string; columns: string[]; ref_columns: string[] }>(`
      SELECT t.relname AS table, r.relname AS ref_table, con.confdeltype AS on_delete,
        ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS u(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = u.attnum ORDER BY u.ord) AS columns,
        ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS u(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = u.attnum ORDER BY u.ord) AS ref_columns
      FROM pg_constraint con
      JOIN pg_class t ON t.oid = con.conrelid
      JOIN pg_class r ON r.oid = con.confrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE con.contype = 'f' AND n.nspname = current_schema() AND NOT t.relispartition`);
  const enums = await client.query<{ name: string; values: string[] }>(`
      SELECT t.typname AS name, ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS values
      FROM pg_type t
      JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype = 'e' AND n.nspname = current_schema()`);

  const tables = new Map<string, TableShape>();
  const tableOf = (name: string): TableShape => {
    let table = tables.get(name);
    if (!table) tables.set(name, (table = { columns: new Map(), indexes: new Set(), foreignKeys: new Set() }));
    return table;
  };
  for (const row of columns.rows) {
    const table = tableOf(row.table);
    if (row.column && row.type !== null) table.columns.set(row.column, { type: unquote(row.type), notNull: row.not_null === true });
  }
  for (const row of indexes.rows) {
    const kind = row.primary ? "PRIMARY KEY" : row.unique ? "UNIQUE" : "INDEX";
    tableOf(row.table).indexes.add(indexDefinition(kind, row.columns.map(unquote)));
  }
  for (const row of foreignKeys.rows) {
    tableOf(row.table).foreignKeys.add(foreignKeyDefinition(row.columns, row.ref_table, row.ref_columns, ON_DELETE_FROM_PG[row.on_delete] ?? row.on_delete));
  }
  return { tables, enums: new Map(enums.rows.map((e) => [e.name, e.values])) };
}

const ON_DELETE_FROM_PG: Record<string, string> = { c: "CASCADE", r: "RESTRICT", a: "NO ACTION", n: "SET NULL", d: "SET DEFAULT" };

// ---- Shared spelling ------------------------------------------------------------------------

function indexDefinition(kind: string, columns: string[]): string {
  return `${kind} (${columns.join(", ")})`;
}

function foreignKeyDefinition(columns: string[], refTable: string, refColumns: string[], onDelete: string): string {
  return `(${columns.join(", ")}) REFERENCES ${refTable} (${refColumns.join(", ")}) ON DELETE ${onDelete}`;
}

function parens(args: string[]): string {
  return args.length > 0 ? `(${args.join(",")})` : "";
}

function unquote(identifier: string): string {
  return identifier.replaceAll('"', "");
}

function nullability(notNull: boolean): string {
  return notNull ? "NOT NULL" : "nullable";
}
