// The security policy of the replay player's frame (src/routes/replay.tsx). The dashboard's own pages
// keep the strict policy of src/auth/security-headers.ts; this frame is the one place a recorded page
// is rebuilt, inside rrweb's iframe (sandbox="allow-same-origin", no scripts), which inherits this
// policy. A recorded page brings its own styles (inline) and loads its images, fonts and stylesheets
// from its site, so those are allowed from anywhere; scripts only from Loupe, and never eval.
export const REPLAY_FRAME_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline' http: https:",
  "img-src 'self' data: blob: http: https:",
  "font-src 'self' data: http: https:",
  "media-src 'self' data: blob: http: https:",
  "connect-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
  // Only the session page (same origin) may frame it.
  "frame-ancestors 'self'",
].join("; ");
