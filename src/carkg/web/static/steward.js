// The steward case page: the neighbourhood picture (Cytoscape.js, from the JSON the server embedded)
// and the keyboard: a = accept, r = reject (once a reason is typed), n = next case.
(function () {
  "use strict";
  const data = document.getElementById("case-graph-data");
  const box = document.getElementById("case-graph");
  if (data && box && window.cytoscape) {
    const colour = { case_record: "#d9480f", record: "#868e96", person: "#1971c2", phone: "#2f9e44",
                     iddocument: "#7048e8", device: "#0c8599", wechataccount: "#66a80f" };
    window.caseGraph = cytoscape({
      container: box,
      elements: JSON.parse(data.textContent),
      layout: { name: "cose", animate: false, padding: 20 },
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 10, "text-valign": "bottom",
          "text-margin-y": 4, width: 18, height: 18,
          "background-color": (n) => colour[n.data("kind")] || "#495057" } },
        { selector: "node.case_record", style: { width: 26, height: 26, "font-weight": "bold" } },
        { selector: "node.person", style: { shape: "round-rectangle" } },
        { selector: "node.suspect", style: { "border-width": 3, "border-color": "#e03131", "border-style": "dashed" } },
        { selector: "edge", style: { width: 1.5, "line-color": "#adb5bd", "curve-style": "bezier",
          "target-arrow-shape": "triangle", "target-arrow-color": "#adb5bd", label: "data(label)",
          "font-size": 7, color: "#868e96", "text-rotation": "autorotate" } },
      ],
    });
  }

  const reason = document.getElementById("reason");
  let chosen = null;
  function decide(id) {
    const button = document.getElementById(id);
    if (!button) return;
    chosen = id;
    if (reason && reason.value.trim().length < 5) {
      reason.focus();
      reason.placeholder = "type why, then Ctrl+Enter to " + id;
      return;
    }
    button.click();
  }
  document.addEventListener("keydown", (event) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
    if (typing) {
      if (event.target === reason && event.key === "Enter" && (event.ctrlKey || event.metaKey) && chosen) {
        event.preventDefault();
        decide(chosen);
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "a") decide("accept");
    else if (event.key === "r") decide("reject");
    else if (event.key === "n") {
      const next = document.getElementById("next");
      if (next) window.location.href = next.href;
    }
  });
})();
