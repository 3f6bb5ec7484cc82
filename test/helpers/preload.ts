// Runs before every test file: one line saying which database this run is against.
const g = globalThis as { __loupeDriverAnnounced?: boolean };
if (!g.__loupeDriverAnnounced) {
  g.__loupeDriverAnnounced = true;
  console.error(`[loupe tests] database driver: ${process.env.DATABASE_URL ? "postgres" : "pglite"}`);
}
