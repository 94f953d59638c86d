// Fills in this server's cargo configuration.
const origin = window.location.origin;
document.getElementById("config").textContent =
  `[registries.private]\nindex = "sparse+${origin}/index/"\ncredential-provider = "cargo:token"\n`;
