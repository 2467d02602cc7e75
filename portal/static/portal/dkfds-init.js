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
    // DKFDS writes its own Danish word on the button that gathers the menu items that do
    // not fit ("Mere"); the page says it in the reader's language (data-more-label).
    var menu = document.querySelector(".navigation-menu[data-more-label]");
    if (!menu || typeof MutationObserver === "undefined") return;
    var relabel = function () {
      menu.querySelectorAll(".more-button > span").forEach(function (label) {
        if (label.textContent !== menu.dataset.moreLabel) label.textContent = menu.dataset.moreLabel;
      });
    };
    relabel();
    new MutationObserver(relabel).observe(menu, { childList: true, subtree: true });
  });
})();
