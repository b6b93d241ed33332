// Read newsgraph exports with the JavaScript libraries analysts use (graphology for
// sigma.js, graphology-gexf, graphology-graphml, cytoscape) and print what each saw as JSON.
// Usage: node read_exports.mjs FILE...   (the format is taken from the file name)
import fs from 'node:fs';
import graphology from 'graphology';
import gexf from 'graphology-gexf';
import graphml from 'graphology-graphml';
import cytoscape from 'cytoscape';

const { Graph, MultiGraph } = graphology;

function summarise(graph) {
  const nodes = [];
  graph.forEachNode((key, attrs) => nodes.push({ key, label: attrs.label, color: attrs.color, size: attrs.size, kind: attrs.kind, iri: attrs.iri }));
  const edges = [];
  graph.forEachEdge((key, attrs, source, target) => edges.push({ key, source, target, label: attrs.label, relation: attrs.relation, weight: attrs.weight }));
  return { order: graph.order, size: graph.size, type: graph.type, multi: graph.multi, nodes, edges };
}

function read(file) {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.gexf')) {
    // the default Graph, as a sigma.js page would use; fall back to a multigraph only for parallel edges
    try { return { reader: 'graphology-gexf', ...summarise(gexf.parse(Graph, text)) }; }
    catch (err) { return { reader: 'graphology-gexf', graphError: String(err), ...summarise(gexf.parse(MultiGraph, text)) }; }
  }
  if (file.endsWith('.graphml')) {
    return { reader: 'graphology-graphml', ...summarise(graphml.parse(MultiGraph, text)) };
  }
  if (file.endsWith('.cyjs') || file.endsWith('.json')) {
    const doc = JSON.parse(text);
    const cy = cytoscape({ headless: true, styleEnabled: false, elements: doc.elements });
    return {
      reader: 'cytoscape',
      order: cy.nodes().length,
      size: cy.edges().length,
      nodes: cy.nodes().map((n) => ({ key: n.id(), label: n.data('name'), kind: n.data('kind') })),
      edges: cy.edges().map((e) => ({ key: e.id(), source: e.source().id(), target: e.target().id(), relation: e.data('interaction') })),
    };
  }
  throw new Error(`${file}: unknown export type; expected .gexf, .graphml or .cyjs`);
}

const out = {};
for (const file of process.argv.slice(2)) {
  out[file] = read(file);
}
process.stdout.write(JSON.stringify(out));
