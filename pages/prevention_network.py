"""Prevention network (Desaguadero): the binational network of institutions on both sides of the border,
as a map and as a graph, and its reach: agents trained and people sensitized."""

import streamlit as st

from indicators.filter_specs import PREVENTION_NETWORK
from indicators.network import network_metrics, select_network
from store import network as store
from ui import layout
from ui import prevention as section
from ui.filters import sidebar
from ui.language import t
from ui.session import current_scope

scope = current_scope()
filters = sidebar(PREVENTION_NETWORK, scope)

st.title(t("network.title"))
section.intro(filters)

# Every figure of reach is a cell of its publication family (store.network.reach).
agents = store.reach("agents_trained", filters, scope=scope)
people = store.reach("people_sensitized", filters, scope=scope)
nodes, edges = select_network(store.institutions(), store.ties(), filters.countries)
nodes = section.with_reach(nodes, agents, people)
metrics = network_metrics(nodes, edges)

section.headline(agents, people, filters)

st.subheader(t("network.map.title"))
section.binational_map(nodes, edges, metrics)

st.subheader(t("network.graph.title"))
section.network_graph(nodes, edges, metrics)
section.institutions_table(nodes, edges)

section.reach(agents, people, filters)
section.definitions()

layout.privacy_note()
layout.source_footer()
