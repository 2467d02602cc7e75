/* The questionnaire (library/questionnaire.html): when the answer to "Is there an
   agreement?" changes, the questions it makes required (topics, the document) say so at
   once: their "(frivilligt)" becomes "(skal udfyldes)" and back. Without JavaScript the
   rule is said in the fields' hints, and the marks follow the saved answer. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-needed-when]");
    if (!form) {
      return;
    }
    var rules = JSON.parse(form.getAttribute("data-needed-when"));
    var requiredText = form.getAttribute("data-required-text");
    var optionalText = form.getAttribute("data-optional-text");

    function mark(name) {
      var input = form.querySelector("[name='" + name + "']");
      if (!input) {
        return null;
      }
      var label = null;
      if (input.type === "checkbox" && input.closest("fieldset")) {
        label = input.closest("fieldset").querySelector("legend");
      } else {
        label = form.querySelector("label[for='" + input.id + "']");
      }
      return label ? label.querySelector(".weight-normal") : null;
    }

    function update() {
      var checked = form.querySelector("input[name='state']:checked");
      var state = checked ? checked.value : "";
      Object.keys(rules).forEach(function (name) {
        var span = mark(name);
        if (span) {
          span.textContent = " " + (rules[name].indexOf(state) >= 0 ? requiredText : optionalText);
        }
      });
    }

    form.addEventListener("change", function (event) {
      if (event.target.name === "state") {
        update();
      }
    });
  });
})();
