"""Throwaway app for tests: the sign-in gate as dashboard.py wires it, then the scope and a figure."""

import streamlit as st

from ui.language import language_selector
from ui.sign_in import check_sign_in_configuration, register_hidden_navigation, require_sign_in
from ui.streamlit_fixes import run_again_until_the_pages_are_known

run_again_until_the_pages_are_known(register_hidden_navigation)
language_selector()
check_sign_in_configuration()
scope = require_sign_in()
st.write(f"SCOPE {scope.username} {scope.role.value} {list(scope.municipalities)}")
st.metric("Personas atendidas", 1474)
# Runs of this session's signed-in page: a sign-in, or a page opened with the cookie, is one run.
st.session_state["signed_in_runs"] = st.session_state.get("signed_in_runs", 0) + 1
st.write(f"SIGNED-IN RUNS {st.session_state['signed_in_runs']}")
