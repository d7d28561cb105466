// The dashboard's charts: hours and activities by month, hours by region. The figures and
// tables are in the page already; the charts only draw the breakdowns of the public API.
// A bar drills down as the table does: a region's bar opens the row's own link, a month's bar
// narrows the period to that month (the region kept).
(function () {
  "use strict";
  var RED = "#b71c1c", GOLD = "#c98a00";

  function rows(url) {
    return fetch(url, {headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {rows: []}; })
      .then(function (body) { return body.rows || []; });
  }

  function draw(element, option, open) {
    var chart = echarts.init(element, null, {renderer: "svg"});
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    if (open) {
      chart.on("click", function (params) {
        if (params.data && params.data.key) { open(params.data.key); }
      });
    }
    element.setAttribute("data-drawn", "true");
  }

  function bars(found) {
    return found.map(function (r) { return {value: r.value, key: r.key}; });
  }

  function openRegion(key) {
    var link = document.querySelector('#by-region tr[data-region="' + key + '"] a');
    if (link) { window.location.assign(link.href); }
  }

  function openMonth(key) {  // "2026-03": that month, within the region shown
    var parts = key.split("-"), url = new URL(window.location.href);
    var last = new Date(Number(parts[0]), Number(parts[1]), 0).getDate();
    url.searchParams.set("from", key + "-01");
    url.searchParams.set("to", key + "-" + (last < 10 ? "0" : "") + last);
    window.location.assign(url.toString());
  }

  function months(element) {
    Promise.all([rows(element.dataset.hours), rows(element.dataset.activities)])
      .then(function (found) {
        var hours = found[0], activities = found[1];
        draw(element, {
          tooltip: {trigger: "axis", renderMode: "richText"},  // no inline style (CSP)
          legend: {data: ["志愿服务时长(小时)", "活动场次"]},
          xAxis: {type: "category", data: hours.map(function (r) { return r.label; })},
          yAxis: [{type: "value", name: "小时"}, {type: "value", name: "场次"}],
          series: [
            {name: "志愿服务时长(小时)", type: "bar", color: RED, cursor: "pointer",
             data: bars(hours)},
            {name: "活动场次", type: "line", yAxisIndex: 1, color: GOLD,
             data: activities.map(function (r) { return r.value; })}
          ]
        }, openMonth);
      });
  }

  function regions(element) {
    rows(element.dataset.hours).then(function (found) {
      draw(element, {
        tooltip: {trigger: "axis", renderMode: "richText"},  // no inline style (CSP)
        grid: {left: 120},
        xAxis: {type: "value", name: "小时"},
        yAxis: {type: "category", data: found.map(function (r) { return r.label; }).reverse()},
        series: [{type: "bar", color: RED, cursor: "pointer", data: bars(found).reverse()}]
      }, openRegion);
    });
  }

  if (typeof echarts === "undefined") { return; }
  var monthly = document.getElementById("chart-months");
  var regional = document.getElementById("chart-regions");
  if (monthly) { months(monthly); }
  if (regional) { regions(regional); }
}());
