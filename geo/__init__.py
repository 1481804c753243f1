"""Everything spatial: reading boundary files, territorial codes, joins by code, map payloads (no Streamlit)."""
