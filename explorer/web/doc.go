// Package web serves the explorer's pages: the network, each subnet (metagraph, hyperparameters,
// weight heatmap, history charts), each neuron, accounts, governance proposals and blocks, as HTML
// rendered on the server from Go templates, so that every table works without JavaScript. The
// JavaScript it embeds (the pinned uPlot build under static/uplot and explorer.js) only draws charts,
// toggles the theme and applies live updates that arrive as server-sent events on /events.
//
// Everything the chain says is data: html/template escapes it, and the Content-Security-Policy allows
// scripts from the explorer's own origin only, so a subnet named like markup renders as text.
package web
