"""Data page: manage maps, import CSV files (with a column-mapping step), export a map."""

from __future__ import annotations

from io import BytesIO
from pathlib import PurePath

import streamlit as st

from stakeholder_map import export, ingest
from stakeholder_map import schema as s
from stakeholder_map.errors import ContractError, StakeholderMapError
from stakeholder_map.ui import state
from stakeholder_map.ui.pickers import find_key, person_picker
from stakeholder_map.presentation import workspace_views
from stakeholder_map.presentation.text import markdown_text

#: (label, uploader title, contract spec), in upload order.
FILES = (
    ("stakeholders", "Stakeholders CSV", s.STAKEHOLDERS),
    ("influences", "Influences CSV", s.INFLUENCES),
    ("engagements", "Engagements CSV", s.ENGAGEMENTS),
)
_UPLOADER = "uploader:"
#: Uploaded files: {"stakeholders" | "influences" | "engagements": (file name, bytes)}.
UPLOADS = "uploads"
IMPORT_NAME = "import_name"
IMPORT_REPLACE = "import_replace"
#: Prefix of the column-mapping selectboxes: f"{MAPPING_PREFIX}{label}:{header}".
MAPPING_PREFIX = "mapping:"
_NOT_CONTRACT = "(custom column)"
_NEW_MAP, _RENAME_TO, _CONFIRM_DELETE = "data_new_map", "data_rename_to", "data_confirm_delete"
_ERASE_PERSON, _CONFIRM_ERASE = "data_erase_person", "data_confirm_erase"
#: The erase picker's search field (``person_picker`` draws it on a big map).
_ERASE_FIND = find_key(_ERASE_PERSON)


def _on_upload(label: str) -> None:
    """Keep the uploaded file's bytes in session state (the rest of the page reads them there)."""
    uploads = dict(st.session_state.get(UPLOADS) or {})
    file = st.session_state.get(_UPLOADER + label)
    if file is None:
        uploads.pop(label, None)
    else:
        uploads[label] = (file.name, file.getvalue())
        if label == "stakeholders":
            st.session_state[IMPORT_NAME] = PurePath(file.name).stem
    st.session_state[UPLOADS] = uploads


def _error(error: StakeholderMapError) -> None:
    st.error(markdown_text(str(error)))


def _maps_section(name: str | None) -> None:
    st.subheader("Maps", anchor=False)
    st.dataframe(state.map_list(), hide_index=True, width="stretch")
    store = state.get_store()
    create, rename, delete = st.columns(3)
    with create:
        new = st.text_input("New map name", key=_NEW_MAP)
        if st.button("Create map", disabled=not new.strip()):
            try:
                store.create_map(new)
            except StakeholderMapError as e:
                _error(e)
            else:
                state.set_current_map(" ".join(new.split()))
                state.flash("success", f"Created the empty map {markdown_text(new)}.")
                st.rerun()
    if name is None:
        return
    with rename:
        target = st.text_input("Rename the current map to", key=_RENAME_TO)
        if st.button("Rename", disabled=not target.strip()):
            try:
                store.rename_map(name, target)
            except StakeholderMapError as e:
                _error(e)
            else:
                state.set_current_map(" ".join(target.split()))
                state.flash("success", f"Renamed the map to {markdown_text(target)}.")
                st.rerun()
    with delete:
        sure = st.checkbox("Yes, delete the current map and everything in it", key=_CONFIRM_DELETE)
        if st.button("Delete map", disabled=not sure):
            try:
                store.delete_map(name)
            except StakeholderMapError as e:
                _error(e)
            else:
                state.set_current_map(None)
                state.flash("success", f"Deleted the map {markdown_text(name)}.")
                st.rerun()


def _mapping_step(uploads: dict) -> dict:
    """Column-mapping selectboxes, guessed from the headers; returns {label: {header: column}}."""
    mappings: dict[str, dict[str, str | None]] = {}
    with st.expander("Column mapping (guessed from the headers; change any that are wrong)"):
        for label, title, spec in FILES:
            if label not in uploads:
                continue
            try:
                headers = ingest.read_headers(BytesIO(uploads[label][1]))
            except StakeholderMapError:
                continue  # the preview below reports the problem
            guess = ingest.guess_mapping(headers, spec)
            st.markdown(f"**{title}** · {markdown_text(uploads[label][0])}")
            options = list(spec.columns) + [_NOT_CONTRACT]
            columns = st.columns(4)
            chosen: dict[str, str | None] = {}
            for i, header in enumerate(headers):
                default = guess.get(header)
                with columns[i % 4]:
                    value = st.selectbox(
                        markdown_text(header) or f"column {i + 1}", options,
                        index=options.index(default) if default in options else len(options) - 1,
                        key=f"{MAPPING_PREFIX}{label}:{i}:{header}",
                    )
                chosen[header] = None if value == _NOT_CONTRACT else value
            mappings[label] = chosen
    return mappings


def _import_section() -> None:
    st.subheader("Import CSV files", anchor=False)
    st.caption(
        "One row per person in the stakeholders file (id and name required), one row per tie in the "
        "influences file (source can move target), and optionally one row per meeting or touchpoint in "
        "the engagements file. A file with any problem is refused whole and nothing changes."
    )
    columns = st.columns(3)
    for (label, title, _), column in zip(FILES, columns):
        with column:
            st.file_uploader(title, type=["csv", "tsv", "txt"], key=_UPLOADER + label,
                             on_change=_on_upload, args=(label,))
    uploads = st.session_state.get(UPLOADS) or {}
    if "stakeholders" not in uploads:
        st.info("Upload at least the stakeholders file to import a map.")
        return
    if not st.session_state.get(IMPORT_NAME):
        st.session_state[IMPORT_NAME] = PurePath(uploads["stakeholders"][0]).stem
    mappings = _mapping_step(uploads)
    files = tuple((label, *uploads[label]) if label in uploads else None for label, _, _ in FILES)
    frozen = tuple((label, tuple(m.items())) for label, m in sorted(mappings.items()))
    try:
        data = state.read_upload(files, frozen)
    except ContractError as refused:
        st.error(markdown_text(refused.summary().splitlines()[0]))
        st.dataframe(refused.as_records(), hide_index=True, width="stretch")
        if refused.more:
            st.caption(f"… and {refused.more} more problems.")
        return

    st.markdown(f"**Preview**: {len(data.people):,} people, {len(data.ties):,} ties, "
                f"{len(data.engagements):,} engagements.")
    for warning in data.warnings:
        st.warning(markdown_text(warning))
    preview = st.tabs(["Stakeholders", "Influences", "Engagements"])
    for tab, frame in zip(preview, (data.people, data.ties, data.engagements)):
        with tab:
            st.dataframe(frame.head(100), hide_index=True, width="stretch")
    name = st.text_input("Map name", key=IMPORT_NAME)
    replace = st.checkbox("Replace the map of that name if it exists", key=IMPORT_REPLACE)
    if st.button("Import", type="primary", disabled=not name.strip()):
        try:
            with st.spinner("Importing…"):
                report = state.get_store().import_map(name, data, replace=replace)
        except StakeholderMapError as e:
            _error(e)
            return
        state.set_current_map(report.map)
        state.flash("success", f"Imported {report.people:,} people, {report.ties:,} ties and "
                               f"{report.engagements:,} engagements into the map "
                               f"{markdown_text(report.map)}. It is now the current map.")
        st.rerun()


def _export_section(name: str) -> None:
    st.subheader("Export", anchor=False)
    st.caption("The current map's files, in the same format the import reads.")
    store = state.get_store()
    columns = st.columns(len(export.EXPORT_FILES))
    for file_name, column in zip(export.EXPORT_FILES, columns):
        with column:
            st.download_button(file_name, data=lambda f=file_name: export.export_map(store, name)[f],
                               file_name=file_name, mime="text/csv", on_click="ignore",
                               key=f"export:{file_name}")
    st.download_button(
        "Download pseudonymised export (.zip)", mime="application/zip", on_click="ignore", key="export:pseudonymised",
        data=lambda: export.zip_files(export.pseudonymised_export(store, name)),
        file_name=export.safe_filename(name, suffix="-pseudonymised.zip"),
        help="The same three files made fit for sharing: ids replaced by keyed hashes (a fresh random key each "
             "time), names, emails, roles, notes and custom columns left out, departments of fewer than "
             f"{export.MIN_DEPARTMENT} people merged into “{export.OTHER_DEPARTMENT}”. The network and stances "
             "stay the same.")


def _erase(name: str, labels: dict[str, str]) -> None:
    """The Erase button was pressed: remove the person, then forget the choice."""
    person = st.session_state.get(_ERASE_PERSON)
    if person is None or not st.session_state.get(_CONFIRM_ERASE):
        return
    try:
        report = state.get_store().erase_person(name, person)
    except StakeholderMapError as e:
        state.flash("error", markdown_text(str(e)))
        return
    st.session_state[_ERASE_PERSON] = None
    if _ERASE_FIND in st.session_state:          # a big map's search field: cleared with the choice
        st.session_state[_ERASE_FIND] = ""
    st.session_state[_CONFIRM_ERASE] = False
    if state.selected_person(name) == person:
        state.select_person(name, None)
    state.flash("success", f"Erased {markdown_text(labels.get(person, person))} from the map: {report.ties} tie(s), "
                           f"{report.engagements} touchpoint(s) and {report.stance_history} stance record(s) removed"
                           + ("; the database file was rewritten." if report.compacted else "."))


def _erase_section(name: str) -> None:
    with st.expander("Erase a person"):
        st.caption("Removes them from the current map with every tie from or to them, their touchpoints, their "
                   "stance history and the change records that concern them, then rewrites the database file so "
                   "nothing of them stays in it. Other people's notes are not searched for their name, and "
                   "exports made before are not touched. This cannot be undone.")
        labels = state.derived(name, workspace_views.labels_of)
        if st.session_state.get(_ERASE_PERSON) not in labels:
            st.session_state[_ERASE_PERSON] = None
        # On a big map the person is found by typing first (see ``person_picker``).
        person = person_picker(st, "Person", labels, key=_ERASE_PERSON, placeholder="Pick the person to erase")
        sure = st.checkbox("Yes, erase them and everything recorded about them", key=_CONFIRM_ERASE)
        st.button("Erase", type="primary", disabled=person is None or not sure, on_click=_erase,
                  args=(name, labels))


def main() -> None:
    st.title("Data", anchor=False)
    state.show_flash()
    name = state.current_map()
    _maps_section(name)
    st.divider()
    _import_section()
    if name is not None:
        st.divider()
        _export_section(name)
        _erase_section(name)


if __name__ == "__main__":  # Streamlit runs pages as __main__; importing one (doctests) does nothing
    with state.errors_shown():
        main()
