// Passage's one script, an enhancement only: every page works without it.
// It shows the <title> of a chart's mark as a read-out on hover and keyboard focus, applies a
// form's controls as soon as they change, and completes embed snippets with this site's address.
(function () {
  "use strict";
  var readout = document.createElement("div");
  readout.id = "readout";
  readout.setAttribute("role", "status");
  document.body.appendChild(readout);
  function titleOf(el) {
    for (var n = el; n && n.nodeName !== "svg"; n = n.parentNode) {
      var t = n.querySelector && n.querySelector(":scope > title");
      if (t && n !== el.ownerSVGElement) return t.textContent;
    }
    return null;
  }
  function show(ev) {
    var text = titleOf(ev.target);
    if (!text) { readout.style.display = "none"; return; }
    readout.textContent = text;
    readout.style.display = "block";
    var r = ev.target.getBoundingClientRect ? ev.target.getBoundingClientRect() : null;
    var x = ev.clientX || (r ? r.left + r.width / 2 : 0);
    var y = ev.clientY || (r ? r.top : 0);
    readout.style.left = Math.min(x + 12, window.innerWidth - readout.offsetWidth - 4) + "px";
    readout.style.top = Math.max(y - 32, 4) + "px";
  }
  document.querySelectorAll("svg.chart").forEach(function (svg) {
    svg.addEventListener("mousemove", show);
    svg.addEventListener("mouseleave", function () { readout.style.display = "none"; });
    svg.addEventListener("focusin", show);
    svg.addEventListener("focusout", function () { readout.style.display = "none"; });
  });
  document.querySelectorAll("form.controls[data-auto]").forEach(function (form) {
    form.querySelectorAll("select").forEach(function (s) {
      s.addEventListener("change", function () { form.submit(); });
    });
  });
  document.querySelectorAll("code.embed-code").forEach(function (code) {
    code.textContent = code.textContent.replace('src="/', 'src="' + location.origin + "/");
  });
})();
