/** The HTML a site owner pastes into their pages to install Loupe. */
export function snippetTag(baseUrl: string, envId: string): string {
  const src = `${baseUrl}/loupe.js`;
  return [
    "<script>",
    `  window.loupe=window.loupe||[];loupe.load=loupe.load||function(e,o){loupe.envId=e;loupe.options=o||{};var s=document.createElement("script");s.async=true;s.src=${JSON.stringify(src)};document.head.appendChild(s)};`,
    `  ["identify","resetIdentity","addUserProperties","addEventProperties","removeEventProperty","clearEventProperties","track","stopTracking","startTracking"].forEach(function(m){loupe[m]=loupe[m]||function(){loupe.push([m].concat([].slice.call(arguments)))}});`,
    `  loupe.load(${JSON.stringify(envId)});`,
    "</script>",
  ].join("\n");
}
