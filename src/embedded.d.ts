// Types of the non-code files (and the browser scripts) embedded with import attributes: `type: "file"` yields a path the
// running process can read (inside the binary once compiled), `type: "text"` the file's text.
declare module "*.sql" { const text: string; export default text; }
declare module "*.wasm" { const path: string; export default path; }
declare module "*.data" { const path: string; export default path; }
declare module "*.css" { const path: string; export default path; }
declare module "*.svg" { const path: string; export default path; }
declare module "*.js" { const path: string; export default path; }
declare module "*.mmdb" { const path: string; export default path; }
declare module "*.cjs" { const path: string; export default path; }
