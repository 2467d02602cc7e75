/* Starts Det Fælles Designsystem's scripts (the phone menu and the other components).
   A static file, not an inline script: the site's Content-Security-Policy allows
   scripts from 'self' only. Loaded without defer in <head>, so <html> gets class "js"
   before the first paint; DKFDS (deferred) has run by DOMContentLoaded. Without
   JavaScript <html> has no class "js", and site.css then shows the main menu below
   the header instead of the menu button. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    if (window.DKFDS && typeof window.DKFDS.init === "function") {
      window.DKFDS.init();
    }
  });
})();
