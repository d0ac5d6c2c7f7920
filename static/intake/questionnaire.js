/* The questionnaire's progressive enhancements (no inline script: the CSP forbids it).
 * - Follow-up questions appear only after the answer that makes them apply.
 * - The heel diagram ticks the matching radio in the list (which stays the no-JS path).
 * - The error summary takes focus so screen readers announce it.
 */
(function () {
  "use strict";

  function checkedValues(form, name) {
    var values = [];
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && input.checked) values.push(input.value);
    });
    return values;
  }

  function updateReveals(form) {
    form.querySelectorAll(".conditional[data-controller]").forEach(function (block) {
      var controller = block.getAttribute("data-controller");
      var present = form.querySelector('[name="' + controller + '"]');
      var wanted = (block.getAttribute("data-show-when") || "").split(" ");
      // A controller that is itself hidden (S02d when S02 is "No") gives no answer, so its own
      // follow-ups (S02e) hide too; blocks come in page order, so it is already settled.
      var controllerBlock = present && present.closest(".conditional[data-controller]");
      var given = controllerBlock && controllerBlock.hidden ? [] : checkedValues(form, controller);
      var show = !present || given.some(function (value) { return wanted.indexOf(value) !== -1; });
      block.hidden = !show;
    });
  }

  function setUpReveals() {
    document.querySelectorAll(".questionnaire form").forEach(function (form) {
      form.classList.add("js-reveal");
      form.addEventListener("change", function () { updateReveals(form); });
      updateReveals(form);
    });
  }

  function syncDiagram(diagram) {
    var target = diagram.getAttribute("data-target");
    var checked = document.querySelector('input[name="' + target + '"]:checked');
    diagram.querySelectorAll(".heel-region").forEach(function (region) {
      var on = !!checked && checked.value === region.getAttribute("data-code");
      region.setAttribute("aria-pressed", on ? "true" : "false");
      region.classList.toggle("is-selected", on);
    });
  }

  function pick(diagram, region) {
    var target = diagram.getAttribute("data-target");
    var code = region.getAttribute("data-code");
    var radio = document.querySelector('input[name="' + target + '"][value="' + code + '"]');
    if (!radio) return;
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    syncDiagram(diagram);
  }

  function setUpDiagrams() {
    document.querySelectorAll("[data-heel-diagram]").forEach(function (diagram) {
      var target = diagram.getAttribute("data-target");
      diagram.classList.remove("d-none");
      diagram.querySelectorAll(".heel-region").forEach(function (region) {
        var code = region.getAttribute("data-code");
        // Regions for codes this question does not offer are shown but not offered.
        if (!document.querySelector('input[name="' + target + '"][value="' + code + '"]')) {
          region.removeAttribute("tabindex");
          region.removeAttribute("role");
          region.removeAttribute("aria-pressed");
          region.classList.add("is-disabled");
          return;
        }
        region.addEventListener("click", function () { pick(diagram, region); });
        region.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            pick(diagram, region);
          }
        });
      });
      document.querySelectorAll('input[name="' + target + '"]').forEach(function (input) {
        input.addEventListener("change", function () { syncDiagram(diagram); });
      });
      syncDiagram(diagram);
    });
  }

  function focusErrors() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    setUpReveals();
    setUpDiagrams();
    focusErrors();
  });
})();
