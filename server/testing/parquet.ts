/**
 * A minimal Parquet writer for tests: required INT32 columns, PLAIN encoding, no compression, one
 * row group and one data page per column. Enough to make real files (read by hyparquet like any
 * other) and to corrupt their pages on purpose, without a writer dependency.
 */

const enum T {
  I32 = 5,
  I64 = 6,
  BINARY = 8,
  LIST = 9,
  STRUCT = 12,
}

type Field = [id: number, type: T, value: unknown];

class Compact {
  readonly bytes: number[] = [];

  varint(n: bigint) {
    let v = n;
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }

  zigzag(n: number | bigint) {
    const v = BigInt(n);
    this.varint(v >= 0n ? v << 1n : ((-v) << 1n) - 1n);
  }

  value(type: T, v: unknown) {
    if (type === T.I32 || type === T.I64) this.zigzag(v as number);
    else if (type === T.BINARY) {
      const b = Buffer.from(v as string);
      this.varint(BigInt(b.length));
      this.bytes.push(...b);
    } else if (type === T.STRUCT) this.struct(v as Field[]);
    else if (type === T.LIST) {
      const [elem, items] = v as [T, unknown[]];
      if (items.length < 15) this.bytes.push((items.length << 4) | elem);
      else {
        this.bytes.push(0xf0 | elem);
        this.varint(BigInt(items.length));
      }
      for (const item of items) this.value(elem, item);
    }
  }

  struct(fields: Field[]) {
    let last = 0;
    for (const [id, type, v] of fields) {
      this.bytes.push(((id - last) << 4) | type);
      this.value(type, v);
      last = id;
    }
    this.bytes.push(0);
  }
}

const thrift = (fields: Field[]) => {
  const c = new Compact();
  c.struct(fields);
  return Buffer.from(c.bytes);
};

/** Bytes of a Parquet file with the given INT32 columns (all the same length). */
export function writeParquet(columns: { name: string; values: number[] }[]): { bytes: Buffer; pageOffsets: number[] } {
  const rows = columns[0]?.values.length ?? 0;
  const parts: Buffer[] = [Buffer.from("PAR1")];
  let offset = 4;
  const chunks: Field[][] = [];
  const pageOffsets: number[] = [];
  for (const col of columns) {
    const data = Buffer.alloc(col.values.length * 4);
    col.values.forEach((v, i) => data.writeInt32LE(v, i * 4));
    const header = thrift([
      [1, T.I32, 0], // DATA_PAGE
      [2, T.I32, data.length],
      [3, T.I32, data.length],
      [5, T.STRUCT, [[1, T.I32, col.values.length], [2, T.I32, 0], [3, T.I32, 3], [4, T.I32, 3]]],
    ]);
    pageOffsets.push(offset);
    const size = header.length + data.length;
    chunks.push([
      [2, T.I64, offset],
      [3, T.STRUCT, [
        [1, T.I32, 1], // INT32
        [2, T.LIST, [T.I32, [0]]],
        [3, T.LIST, [T.BINARY, [col.name]]],
        [4, T.I32, 0], // UNCOMPRESSED
        [5, T.I64, col.values.length],
        [6, T.I64, size],
        [7, T.I64, size],
        [9, T.I64, offset],
      ]],
    ]);
    parts.push(header, data);
    offset += size;
  }
  const schema: Field[][] = [
    [[4, T.BINARY, "schema"], [5, T.I32, columns.length]],
    ...columns.map((c): Field[] => [[1, T.I32, 1], [3, T.I32, 0], [4, T.BINARY, c.name]]),
  ];
  const footer = thrift([
    [1, T.I32, 1],
    [2, T.LIST, [T.STRUCT, schema]],
    [3, T.I64, rows],
    [4, T.LIST, [T.STRUCT, [[[1, T.LIST, [T.STRUCT, chunks]], [2, T.I64, offset - 4], [3, T.I64, rows]]]]],
  ]);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(footer.length);
  parts.push(footer, len, Buffer.from("PAR1"));
  return { bytes: Buffer.concat(parts), pageOffsets };
}
