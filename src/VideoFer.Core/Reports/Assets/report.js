// VideoFer report pages: draws the timelines (report.html of a prediction) and the curves (of a training run) as
// inline SVG from the page's JSON (#data). No library, no network.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("data").textContent);
  var tip = document.getElementById("tip");

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function fmt(v, digits) { return Number(v).toFixed(digits); }

  // A line chart: series of runs of [x, y] points (a run is drawn as one line; gaps between runs stay empty),
  // dashed vertical marks, a cursor, and hover and click callbacks given the x under the pointer.
  function chart(container, o) {
    var W = o.width || 1000, H = o.height || 190, L = 44, R = 8, T = 8, B = 24;
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img" }, container);
    var x0 = o.x[0], x1 = o.x[1] > o.x[0] ? o.x[1] : o.x[0] + 1, y0 = o.y[0], y1 = o.y[1] > o.y[0] ? o.y[1] : o.y[0] + 1;
    var sx = function (x) { return L + (x - x0) / (x1 - x0) * (W - L - R); };
    var sy = function (y) { return H - B - (y - y0) / (y1 - y0) * (H - T - B); };
    var inv = function (px) { return x0 + (px - L) / (W - L - R) * (x1 - x0); };
    for (var i = 0; i <= 4; i++) {
      var yv = y0 + (y1 - y0) * i / 4;
      el("line", { x1: L, x2: W - R, y1: sy(yv), y2: sy(yv), "class": "axis" }, svg);
      el("text", { x: L - 4, y: sy(yv) + 4, "text-anchor": "end" }, svg).textContent = o.yFormat ? o.yFormat(yv) : fmt(yv, 2);
    }
    var previous = null;
    for (i = 0; i <= 8; i++) {
      var xv = x0 + (x1 - x0) * i / 8, label = o.xFormat ? o.xFormat(xv) : fmt(xv, 1);
      if (label === previous) continue; // a short range of whole numbers: each label once
      previous = label;
      el("text", { x: sx(xv), y: H - 6, "text-anchor": i === 8 ? "end" : "middle" }, svg).textContent = label;
    }
    (o.marks || []).forEach(function (m) { el("line", { x1: sx(m), x2: sx(m), y1: T, y2: H - B, "class": "cut" }, svg); });
    o.series.forEach(function (s) {
      s.runs.forEach(function (run) {
        var pts = run.map(function (p) { return fmt(sx(p[0]), 2) + "," + fmt(sy(p[1]), 2); }).join(" ");
        var line = el("polyline", { points: pts, "class": "series " + (s.cls || ""), "data-series": s.name }, svg);
        if (s.color) line.style.stroke = s.color;
        if (run.length < 3) run.forEach(function (p) { el("circle", { cx: sx(p[0]), cy: sy(p[1]), r: 2.5, "class": s.cls || "" }, svg); });
      });
    });
    var cursor = el("line", { x1: L, x2: L, y1: T, y2: H - B, "class": "cursor", visibility: "hidden" }, svg);
    function xOf(ev) { var r = svg.getBoundingClientRect(); return inv((ev.clientX - r.left) / r.width * W); }
    if (o.hover) {
      svg.addEventListener("mousemove", function (ev) {
        var html = o.hover(xOf(ev));
        if (!html) { tip.hidden = true; return; }
        tip.innerHTML = html; tip.hidden = false;
        tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 4) + "px";
        tip.style.top = (ev.clientY + 14) + "px";
      });
      svg.addEventListener("mouseleave", function () { tip.hidden = true; });
    }
    if (o.click) svg.addEventListener("click", function (ev) { o.click(Math.max(x0, Math.min(x1, xOf(ev)))); });
    return {
      svg: svg,
      cursor: function (x) { cursor.setAttribute("x1", sx(x)); cursor.setAttribute("x2", sx(x)); cursor.setAttribute("visibility", "visible"); }
    };
  }

  function escape(s) { return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); }

  // The index of the point nearest to x in an ascending array.
  function nearest(xs, x) {
    var lo = 0, hi = xs.length - 1;
    while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (xs[mid] < x) lo = mid; else hi = mid; }
    return Math.abs(xs[lo] - x) <= Math.abs(xs[hi] - x) ? lo : hi;
  }

  // The annotated frames as a player, where the video cannot be embedded: the still shown is the last one at or
  // before the time; play advances the time at the video's speed.
  function stillPlayer(img, button, clock, times, srcs, duration, changed) {
    var t = 0, playing = false, start = 0, shown = -1;
    function show(time) {
      t = Math.max(0, Math.min(duration, time));
      var i = nearest(times, t);
      if (times[i] > t && i > 0) i--;
      if (i !== shown) { img.src = srcs[i]; shown = i; }
      img.setAttribute("data-time", fmt(t, 3));
      clock.textContent = fmt(t, 2) + " s";
      changed(t);
    }
    function tick(now) {
      if (!playing) return;
      show((now - start) / 1000);
      if (t >= duration) { playing = false; button.textContent = "Play"; return; }
      window.requestAnimationFrame(tick);
    }
    function toggle() {
      playing = !playing;
      button.textContent = playing ? "Pause" : "Play";
      if (playing) { if (t >= duration) t = 0; start = performance.now() - t * 1000; window.requestAnimationFrame(tick); }
    }
    button.addEventListener("click", toggle);
    img.addEventListener("click", toggle);
    return { seek: function (time) { show(time); if (playing) start = performance.now() - t * 1000; } };
  }

  function videoPage() {
    var video = document.getElementById("video");
    var charts = [];
    var stills = null;
    var cuts = data.cuts.map(function (c) { return c.time; });
    var seconds = Math.max(data.duration, 1e-3);
    data.people.forEach(function (person) {
      var box = document.querySelector('.timeline[data-person="' + person.id + '"]');
      if (!box) return;
      // Runs of frames close enough to be one line: a gap longer than gap_frames (no face there) breaks it.
      var runs = [];
      person.frame.forEach(function (f, i) {
        if (i === 0 || f - person.frame[i - 1] > data.gap_frames) runs.push([]);
        runs[runs.length - 1].push(i);
      });
      var series = data.classes.map(function (name, k) {
        return { name: name, cls: "c" + k, runs: runs.map(function (run) { return run.map(function (i) { return [person.time[i], person.p[i][k]]; }); }) };
      });
      var c = chart(box, {
        x: [0, seconds], y: [0, 1], series: series, marks: cuts,
        xFormat: function (x) { return fmt(x, 1) + " s"; },
        hover: function (t) {
          if (person.time.length === 0) return null;
          var i = nearest(person.time, t);
          if (Math.abs(person.time[i] - t) > Math.max(0.5, 2 * data.gap_frames / (data.fps || 25))) return "<b>" + escape(person.title) + "</b>: no face at " + fmt(t, 2) + " s";
          var rows = data.classes.map(function (name, k) {
            return '<span class="key c' + k + '">' + escape(name) + "</span> " + fmt(person.p[i][k], 3);
          });
          return "<b>" + escape(person.title) + "</b> frame " + person.frame[i] + ", " + fmt(person.time[i], 2) + " s<br>" + rows.join("<br>");
        },
        click: function (t) {
          if (video) video.currentTime = t;
          if (stills) stills.seek(t);
          charts.forEach(function (x) { x.cursor(t); });
        }
      });
      c.svg.setAttribute("data-person", person.id);
      charts.push(c);
    });
    var still = document.getElementById("still");
    if (still && data.still_time.length > 0)
      stills = stillPlayer(still, document.getElementById("still-play"), document.getElementById("still-clock"), data.still_time, data.still_src,
        seconds, function (t) { charts.forEach(function (c) { c.cursor(t); }); });
    if (video) {
      var follow = function () { charts.forEach(function (c) { c.cursor(video.currentTime); }); };
      video.addEventListener("timeupdate", follow);
      video.addEventListener("seeked", follow);
      var tick = function () { follow(); if (!video.paused && !video.ended) window.requestAnimationFrame(tick); };
      video.addEventListener("play", function () { window.requestAnimationFrame(tick); });
    }
  }

  function runPage() {
    var iterations = function (x) { return x >= 10000 ? fmt(x / 1000, 0) + "k" : fmt(x, 0); };
    function draw(id, series, yRange, yFormat) {
      var box = document.getElementById(id);
      if (!box) return;
      var xs = [], ys = [];
      // A NaN or infinite value is null in the page's data (a diverged loss): no point is drawn for it.
      series.forEach(function (s) { s.points = s.points.filter(function (p) { return p[1] !== null && isFinite(p[1]); }); });
      series.forEach(function (s) { s.points.forEach(function (p) { xs.push(p[0]); ys.push(p[1]); }); });
      if (xs.length === 0) return;
      var lo = yRange ? yRange[0] : Math.min.apply(null, ys), hi = yRange ? yRange[1] : Math.max.apply(null, ys);
      if (hi === lo) { hi = lo + Math.abs(lo || 1) * 0.1; lo = lo - (hi - lo); }
      chart(box, {
        x: [Math.min.apply(null, xs), Math.max.apply(null, xs)], y: [lo, hi], height: 220, yFormat: yFormat, xFormat: iterations,
        series: series.map(function (s) { return { name: s.name, color: s.color, runs: [s.points] }; }),
        hover: function (x) {
          return series.map(function (s) {
            if (s.points.length === 0) return "";
            var i = nearest(s.points.map(function (p) { return p[0]; }), x);
            return escape(s.name) + " @ " + s.points[i][0] + ": " + (yFormat ? yFormat(s.points[i][1]) : Number(s.points[i][1]).toPrecision(4));
          }).join("<br>");
        }
      });
    }
    var loss = data.log.iteration.map(function (it, i) { return [it, data.log.loss[i]]; });
    var lr = data.log.iteration.map(function (it, i) { return [it, data.log.lr[i]]; });
    draw("loss-chart", [{ name: "loss", color: "#1f77b4", points: loss }]);
    draw("lr-chart", [{ name: "learning rate", color: "#ff7f0e", points: lr }], null, function (v) { return Number(v).toExponential(1); });
    var v = data.validation;
    draw("validation-chart", [
      { name: "accuracy", color: "#1f77b4", points: v.iteration.map(function (it, i) { return [it, v.accuracy[i]]; }) },
      { name: "macro F1", color: "#ff7f0e", points: v.iteration.map(function (it, i) { return [it, v.f1[i]]; }) },
      { name: "S", color: "#2ca02c", points: v.iteration.map(function (it, i) { return [it, v.s[i]]; }) }
    ], [0, 1]);
  }

  // The corpus page's photos: a grid of faces (thumbnail, label, probability, person), filtered by label and person,
  // drawn a page at a time so that 10,000 photos open quickly; each face links to its annotated photo.
  function photoGrid() {
    var grid = document.getElementById("grid");
    if (!grid || !data.faces) return;
    var byLabel = document.getElementById("filter-label"), byPerson = document.getElementById("filter-person");
    var more = document.getElementById("grid-more"), count = document.getElementById("grid-count");
    var PAGE = 240, shown = 0, selected = [];
    function tile(f) {
      var photo = data.photos[f[0]], name = photo[0];
      var a = document.createElement("a");
      a.className = "face";
      a.href = photo[1] || (encodeURIComponent(name) + "/" + f[1] + ".jpg");
      var probabilities = f.slice(4).map(function (p, k) { return data.classes[k] + " " + (p / 100).toFixed(2); }).join(", ");
      a.title = name + ", face " + f[1] + (f[3] ? ", person " + f[3] : "") + ": " + probabilities;
      a.setAttribute("data-label", data.classes[f[2]]);
      a.setAttribute("data-person", f[3]);
      var img = document.createElement("img");
      img.loading = "lazy";
      img.width = 96; img.height = 96;
      img.alt = name;
      img.src = encodeURIComponent(name) + "/faces/" + f[1] + ".jpg";
      a.appendChild(img);
      var caption = document.createElement("span");
      caption.className = "caption c" + f[2];
      caption.textContent = data.classes[f[2]] + " " + (f[4 + f[2]] / 100).toFixed(2) + (f[3] ? " P" + f[3] : "");
      a.appendChild(caption);
      return a;
    }
    function showMore() {
      var fragment = document.createDocumentFragment();
      var end = Math.min(selected.length, shown + PAGE);
      for (var i = shown; i < end; i++) fragment.appendChild(tile(selected[i]));
      grid.appendChild(fragment);
      shown = end;
      more.hidden = shown >= selected.length;
      count.textContent = selected.length + " faces" + (shown < selected.length ? ", " + shown + " shown" : "");
    }
    function apply() {
      var label = byLabel && byLabel.value !== "" ? Number(byLabel.value) : -1;
      var person = byPerson && byPerson.value !== "" ? Number(byPerson.value) : 0;
      selected = data.faces.filter(function (f) { return (label < 0 || f[2] === label) && (!person || f[3] === person); });
      grid.textContent = "";
      shown = 0;
      showMore();
    }
    if (byLabel) byLabel.addEventListener("change", apply);
    if (byPerson) byPerson.addEventListener("input", apply);
    more.addEventListener("click", showMore);
    // Further pages as the end of the grid comes into view.
    if ("IntersectionObserver" in window)
      new IntersectionObserver(function (entries) { if (entries[0].isIntersecting && shown < selected.length) showMore(); }).observe(more);
    apply();
  }

  if (data.kind === "run") runPage(); else if (data.people) videoPage(); else if (data.faces) photoGrid();
  document.documentElement.setAttribute("data-ready", "true");
})();
