// A tiny MaxMind DB (MMDB 2.0) writer for tests: IPv4 prefixes → JSON-like records, 24-bit records.
// Just enough of the format for the `maxmind` reader to open it and answer lookups.

type Value = string | number | boolean | Value[] | { [k: string]: Value };

function control(type: number, size: number): number[] {
  const out: number[] = [];
  let sizeBits: number;
  const extra: number[] = [];
  if (size < 29) sizeBits = size;
  else if (size < 285) { sizeBits = 29; extra.push(size - 29); }
  else if (size < 65821) { sizeBits = 30; const s = size - 285; extra.push(s >> 8, s & 0xff); }
  else { sizeBits = 31; const s = size - 65821; extra.push((s >> 16) & 0xff, (s >> 8) & 0xff, s & 0xff); }
  if (type <= 7) out.push((type << 5) | sizeBits);
  else out.push(sizeBits, type - 7);
  return [...out, ...extra];
}

function uintBytes(n: number | bigint): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  while (v > 0n) { out.unshift(Number(v & 0xffn)); v >>= 8n; }
  return out;
}

function encode(v: Value, forceType?: number): number[] {
  if (typeof v === "string") {
    const bytes = [...new TextEncoder().encode(v)];
    return [...control(2, bytes.length), ...bytes];
  }
  if (typeof v === "boolean") return control(14, v ? 1 : 0);
  if (typeof v === "number") {
    const bytes = uintBytes(v);
    return [...control(forceType ?? 6, bytes.length), ...bytes];
  }
  if (Array.isArray(v)) return [...control(11, v.length), ...v.flatMap((x) => encode(x))];
  const entries = Object.entries(v);
  return [...control(7, entries.length), ...entries.flatMap(([k, x]) => [...encode(k), ...encode(x)])];
}

const ipBits = (ip: string) => ip.split(".").flatMap((o) => Number(o).toString(2).padStart(8, "0").split("").map(Number));

/** Builds an .mmdb for `entries` of [cidr like "81.2.69.0/24", record]. */
export function buildMmdb(entries: [string, Value][], databaseType = "GeoIP2-City"): Uint8Array {
  type Child = { node: number } | { data: number } | null;
  const nodes: [Child, Child][] = [[null, null]];
  const data: number[] = [];
  for (const [cidr, record] of entries) {
    const [ip, len] = cidr.split("/");
    const bits = ipBits(ip).slice(0, Number(len));
    const offset = data.length;
    data.push(...encode(record));
    let n = 0;
    bits.forEach((bit, i) => {
      if (i === bits.length - 1) { nodes[n][bit] = { data: offset }; return; }
      const child = nodes[n][bit];
      if (child && "node" in child) { n = child.node; return; }
      nodes.push([null, null]);
      nodes[n][bit] = { node: nodes.length - 1 };
      n = nodes.length - 1;
    });
  }
  const count = nodes.length;
  const record = (c: Child) => (c === null ? count : "node" in c ? c.node : count + 16 + c.data);
  const tree: number[] = [];
  for (const [l, r] of nodes) for (const v of [record(l), record(r)]) tree.push((v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
  const metadata = [
    ...encode("binary_format_major_version"), ...encode(2, 5),
    ...encode("binary_format_minor_version"), ...encode(0, 5),
    ...encode("build_epoch"), ...encode(Math.floor(Date.now() / 1000), 9),
    ...encode("database_type"), ...encode(databaseType),
    ...encode("description"), ...encode({ en: "Loupe test fixture" }),
    ...encode("ip_version"), ...encode(4, 5),
    ...encode("languages"), ...encode(["en"]),
    ...encode("node_count"), ...encode(count, 6),
    ...encode("record_size"), ...encode(24, 5),
  ];
  const marker = [0xab, 0xcd, 0xef, ...new TextEncoder().encode("MaxMind.com")];
  return new Uint8Array([...tree, ...new Array(16).fill(0), ...data, ...marker, ...control(7, 9), ...metadata]);
}
