/* Data tables in a scroll region ({% tableregion %}, templates/includes/table_region.html):
   the hint "Rul sidelæns for at se hele tabellen" shows only while the table is wider
   than its box. site.css does that without JavaScript where the browser has scroll-driven
   animations (Chromium); elsewhere this marks the wrapper "is-overflowing" while its
   region can scroll, and again whenever the region or the table changes size. */
(function () {
  "use strict";
  if (!window.ResizeObserver || (window.CSS && CSS.supports("animation-timeline: scroll()"))) {
    return;
  }
  function update(region) {
    var wrap = region.parentElement;
    wrap.classList.toggle("is-overflowing", region.scrollWidth > region.clientWidth + 1);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) {
        var region = entry.target.closest(".table-region");
        if (region) {
          update(region);
        }
      });
    });
    document.querySelectorAll(".table-region-wrap > .table-region").forEach(function (region) {
      observer.observe(region);
      var table = region.querySelector("table");
      if (table) {
        observer.observe(table);
      }
      update(region);
    });
  });
})();
