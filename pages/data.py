"""Data (data managers and leadership): validate a file, preview its changes, import it, undo, see the log."""

import streamlit as st

from ui import data_page as section
from ui import kobo_sync
from ui.language import t
from ui.session import current_scope

scope = current_scope()

st.title(t("data.title"))
st.markdown(t("data.intro"))
section.last_message()

dataset, country, level = section.choose_target()
uploaded = section.upload(dataset)
if uploaded is None:
    st.info(t("data.upload.prompt"))
else:
    path, upload_id = uploaded
    if dataset == section.BOUNDARIES:
        section.boundary_steps(path, upload_id, country, level, scope.username)
    else:
        section.dataset_steps(path, upload_id, dataset, scope.username)

kobo_sync.sync_section(scope.username)
section.public_edition_section(scope.username)

st.divider()
section.undo_section(scope.username)
section.log_section()
