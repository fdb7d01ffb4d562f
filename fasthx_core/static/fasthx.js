/* fasthx: the little JavaScript the admin needs on top of HTMX and Bootstrap.
   Toasts, theme, batch selection, filter operators, ajax selects, confirmations. */
(function () {
  "use strict";

  var TOAST_ICONS = { success: "check-circle", danger: "exclamation-octagon", warning: "exclamation-triangle", info: "info-circle" };

  function showToast(opts) {
    opts = opts || {};
    var type = TOAST_ICONS[opts.type] ? opts.type : "info";
    var box = document.getElementById("toast-container");
    if (!box) return;
    var el = document.createElement("div");
    el.className = "toast align-items-center border-0 text-bg-" + type;
    el.setAttribute("role", type === "danger" ? "alert" : "status");
    el.setAttribute("aria-live", type === "danger" ? "assertive" : "polite");
    var wrap = document.createElement("div");
    wrap.className = "d-flex";
    var body = document.createElement("div");
    body.className = "toast-body";
    var icon = document.createElement("i");
    icon.className = "bi bi-" + TOAST_ICONS[type] + " me-2";
    icon.setAttribute("aria-hidden", "true");
    body.appendChild(icon);
    if (opts.title) {
      var strong = document.createElement("strong");
      strong.className = "me-1";
      strong.textContent = opts.title + ":";
      body.appendChild(strong);
    }
    body.appendChild(document.createTextNode(String(opts.message == null ? "" : opts.message)));
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close btn-close-white me-2 m-auto";
    close.setAttribute("data-bs-dismiss", "toast");
    close.setAttribute("aria-label", "Close");
    wrap.appendChild(body);
    wrap.appendChild(close);
    el.appendChild(wrap);
    box.appendChild(el);
    var delay = type === "danger" ? 8000 : 5000;
    if (window.bootstrap && bootstrap.Toast) {
      var t = new bootstrap.Toast(el, { delay: delay, autohide: true });
      el.addEventListener("hidden.bs.toast", function () { el.remove(); });
      t.show();
    } else {
      setTimeout(function () { el.remove(); }, delay);
    }
  }
  window.showToast = showToast;

  function setTheme(t) {
    document.documentElement.setAttribute("data-bs-theme", t);
    try { localStorage.setItem("theme", t); } catch (e) {}
  }
  function toggleTheme() {
    var cur = document.documentElement.getAttribute("data-bs-theme") === "light" ? "light" : "dark";
    setTheme(cur === "light" ? "dark" : "light");
  }
  window.toggleTheme = toggleTheme;

  function updateBatch() {
    var boxes = document.querySelectorAll("#list-results .fx-row-select");
    var checked = document.querySelectorAll("#list-results .fx-row-select:checked");
    document.querySelectorAll("[data-fx-selected-count]").forEach(function (el) { el.textContent = checked.length; });
    document.querySelectorAll("[data-fx-batch-button]").forEach(function (b) { b.disabled = checked.length === 0; });
    var all = document.querySelector("[data-fx-select-all]");
    if (all) {
      all.checked = boxes.length > 0 && checked.length === boxes.length;
      all.indeterminate = checked.length > 0 && checked.length < boxes.length;
    }
  }

  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t.closest && t.closest("[data-fx-theme-toggle]")) { toggleTheme(); return; }
    var opt = t.closest && t.closest(".fx-ajax-menu [data-value]");
    if (opt) {
      var box = opt.closest("[data-fx-ajax]");
      var hidden = box.querySelector("input[type=hidden]");
      hidden.value = opt.getAttribute("data-value");
      box.querySelector("input[type=search]").value = opt.getAttribute("data-label");
      box.querySelector(".fx-ajax-menu").innerHTML = "";
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
      return;
    }
    var clear = t.closest && t.closest("[data-fx-ajax-clear]");
    if (clear) {
      var b = clear.closest("[data-fx-ajax]");
      b.querySelector("input[type=hidden]").value = "";
      b.querySelector("input[type=search]").value = "";
      b.querySelector("input[type=hidden]").dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.matches("[data-fx-select-all]")) {
      document.querySelectorAll("#list-results .fx-row-select").forEach(function (c) { c.checked = t.checked; });
      updateBatch();
    } else if (t.matches(".fx-row-select")) {
      updateBatch();
    } else if (t.matches(".flt-op")) {
      var row = t.closest(".row");
      var input = row && row.querySelector(".flt-input");
      if (input) input.name = "flt_" + t.getAttribute("data-col") + "_" + t.value;
    }
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      document.querySelectorAll(".fx-ajax-menu").forEach(function (m) { m.innerHTML = ""; });
    }
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var msg = form.getAttribute && form.getAttribute("data-fx-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); return; }
    /* A page's own POST form (a Flask-Admin template written without a token field) gets
       the session's CSRF token, for same-origin targets only. */
    if (!form.getAttribute || (form.getAttribute("method") || "").toLowerCase() !== "post") return;
    if (form.querySelector("input[name=csrf_token]")) return;
    var target = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    if (target.origin !== window.location.origin) return;
    var token = "";
    try { token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""; }
    catch (err) { return; }
    if (!token) return;
    var input = document.createElement("input");
    input.type = "hidden"; input.name = "csrf_token"; input.value = token;
    form.appendChild(input);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var body = document.body;
    try {
      JSON.parse(body.getAttribute("data-toasts") || "[]").forEach(showToast);
    } catch (err) { /* ignore a malformed attribute */ }
    body.addEventListener("showToast", function (e) { showToast(e.detail); });
    body.addEventListener("refreshList", function () {
      if (document.getElementById("list-results") && window.htmx) {
        htmx.ajax("GET", window.location.pathname + window.location.search, { target: "#list-results", swap: "innerHTML" });
      }
    });
    body.addEventListener("htmx:configRequest", function (e) {
      /* Keep list URLs clean: drop empty search/filter values from GET requests. */
      if (e.detail.verb !== "get" || !e.detail.elt.closest("#list-controls")) return;
      var params = e.detail.parameters;
      var keys = [];
      if (params && typeof params.forEach === "function") {
        params.forEach(function (v, k) { if (v === "") keys.push(k); });
      } else {
        Object.keys(params).forEach(function (k) { if (params[k] === "") keys.push(k); });
      }
      keys.forEach(function (k) { delete params[k]; });
    });
    body.addEventListener("htmx:confirm", function (e) {
      var q = e.detail.question;
      if (!q || q.indexOf("{count}") < 0) return;
      e.preventDefault();
      var n = document.querySelectorAll("#list-results .fx-row-select:checked").length;
      if (window.confirm(q.replace("{count}", n))) e.detail.issueRequest(true);
    });
    body.addEventListener("htmx:afterSwap", function (e) {
      updateBatch();
      if (e.detail.target && e.detail.target.classList.contains("fx-ajax-menu")) {
        e.detail.target.previousElementSibling && e.detail.target.closest("[data-fx-ajax]")
          .querySelector("input[type=search]").setAttribute("aria-expanded", "true");
      }
    });
    body.addEventListener("htmx:responseError", function (e) {
      var xhr = e.detail.xhr;
      if (xhr && xhr.getResponseHeader("HX-Trigger")) return;
      showToast({ type: "danger", title: "Error " + (xhr ? xhr.status : ""), message: "The request failed." });
    });
    body.addEventListener("htmx:sendError", function () {
      showToast({ type: "danger", title: "Network error", message: "The server could not be reached." });
    });
    document.querySelectorAll("[data-fx-export]").forEach(function (a) {
      a.addEventListener("click", function () {
        a.href = a.href.split("?")[0] + window.location.search;
      });
    });
  });
})();
