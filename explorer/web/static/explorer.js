// Mindnet Explorer: charts, theme and live updates. Every page works without this file; it only adds
// to what the server rendered.
(function () {
  "use strict";
  var root = document.documentElement;

  // Theme: the system's choice unless the visitor picked one here.
  var saved = null;
  try { saved = localStorage.getItem("mindnet-theme"); } catch (e) {}
  if (saved === "light" || saved === "dark") root.dataset.theme = saved;
  function currentTheme() {
    if (root.dataset.theme) return root.dataset.theme;
    return window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  var toggle = document.getElementById("theme");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem("mindnet-theme", next); } catch (e) {}
      drawCharts();
    });
  }

  var palette = ["#3b5bdb", "#e8590c", "#2b8a3e", "#c2255c", "#7048e8", "#0b7285", "#e67700", "#5c940d",
    "#a61e4d", "#1864ab", "#d9480f", "#087f5b", "#862e9c", "#364fc7", "#c92a2a", "#495057"];
  var plots = [];

  function drawCharts() {
    plots.forEach(function (p) { p.destroy(); });
    plots = [];
    if (typeof uPlot === "undefined") return;
    var style = getComputedStyle(root);
    var fg = style.getPropertyValue("--muted").trim() || "#666";
    var grid = style.getPropertyValue("--line").trim() || "#ddd";
    document.querySelectorAll("figure.chart[data-chart]").forEach(function (fig) {
      var id = fig.dataset.chart;
      var dataEl = document.getElementById(id + "-data");
      var box = document.getElementById(id + "-plot");
      if (!dataEl || !box) return;
      var c = JSON.parse(dataEl.textContent);
      if (!c.x || c.x.length === 0) return;
      var data = [c.x];
      var series = [{ label: "block" }];
      (c.series || []).forEach(function (s, i) {
        data.push(s.values);
        series.push({ label: s.label, stroke: palette[i % palette.length], width: 2, spanGaps: false, points: { show: c.x.length < 60 } });
      });
      var axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
      var opts = {
        width: Math.max(260, box.clientWidth || fig.clientWidth - 16),
        height: 220,
        // Shares (incentive, dividends, trust) live in [0, 1]; a fixed axis keeps a flat zero line at
        // the bottom instead of centring it.
        scales: c.unit === "share" ? { x: { time: false }, y: { range: [0, 1] } } : { x: { time: false } },
        axes: [Object.assign({}, axis), Object.assign({ size: 60 }, axis)],
        series: series,
        legend: { live: true }
      };
      box.textContent = "";
      plots.push(new uPlot(opts, data, box));
      fig.dataset.drawn = "true";
    });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(drawCharts, 150);
  });

  // Live updates: the block height on every page; a subnet's page (and its neurons') refresh their
  // content when that subnet's epoch is indexed; the node banner follows the node's health.
  var height = document.getElementById("live-height");
  var banner = document.getElementById("node-banner");
  var netuid = document.body.dataset.netuid;
  var refreshing = false;

  function refreshMain() {
    if (refreshing) return;
    refreshing = true;
    fetch(location.href, { headers: { "Accept": "text/html" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.getElementById("main");
      var main = document.getElementById("main");
      if (fresh && main) {
        main.replaceWith(fresh);
        drawCharts();
        document.body.dataset.updates = String(Number(document.body.dataset.updates || "0") + 1);
      }
    }).catch(function () {}).then(function () { refreshing = false; });
  }

  if (window.EventSource) {
    var es = new EventSource("/events");
    es.addEventListener("block", function (ev) {
      var d = JSON.parse(ev.data);
      if (height && d.height) {
        height.textContent = d.height.toLocaleString("en-US");
        height.href = "/blocks/" + d.height;
      }
      document.body.dataset.liveHeight = String(d.height);
    });
    es.addEventListener("epoch", function (ev) {
      var d = JSON.parse(ev.data);
      if (netuid !== "" && String(d.netuid) === netuid) refreshMain();
    });
    es.addEventListener("down", function (ev) {
      var d = JSON.parse(ev.data);
      if (banner) {
        banner.hidden = false;
        var msg = document.getElementById("node-error");
        if (msg) msg.textContent = d.err || "";
      }
    });
    // Close the stream when leaving, or pages kept in the back/forward cache hold connections open
    // until the browser runs out of them.
    window.addEventListener("pagehide", function () { es.close(); });
    es.addEventListener("up", function () {
      // The page may have been rendered without the node: load it again now that it answers.
      location.reload();
    });
  }

  drawCharts();
})();
