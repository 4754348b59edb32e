"""Data page: manage maps, import CSV files or workbooks (with sheet and column-mapping steps), export a map."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

import streamlit as st

from stakeholder_map import export, export_xlsx, ingest, ingest_xlsx, privacy
from stakeholder_map.access import Member
from stakeholder_map import schema as s
from stakeholder_map.errors import ContractError, StakeholderMapError
from stakeholder_map.ui import interactions_import, state
from stakeholder_map.ui.pickers import find_key, person_picker
from stakeholder_map.presentation import import_view, workspace_views
from stakeholder_map.presentation.text import markdown_text

#: (label, uploader title, contract spec), in upload order.
FILES = (
    ("stakeholders", "Stakeholders CSV or workbook", s.STAKEHOLDERS),
    ("influences", "Influences CSV or workbook", s.INFLUENCES),
    ("engagements", "Engagements CSV or workbook", s.ENGAGEMENTS),
)
#: What the upload boxes take: CSV files and Excel workbooks (.xls too, to be refused with a clear message).
_UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "xlsm", "xls"]
#: Prefix of the sheet pickers' keys: f"{SHEET_PREFIX}{upload token}:{label}".
SHEET_PREFIX = "sheet:"
_NO_SHEET = "(none)"
#: Prefix of the upload boxes' keys: f"{_UPLOADER}{round}:{label}". The round goes up after every import, so
#: the page then draws new, empty boxes: what a box shows is all an import can use (issue 11's stale upload).
_UPLOADER = "uploader:"
UPLOAD_ROUND = "data_upload_round"
IMPORT_NAME = "import_name"
IMPORT_REPLACE = "import_replace"
#: Which stakeholders upload the map-name box was filled for (a new file refills it with the file's name).
_NAME_FOR = "data_import_name_for"
#: Prefix of the column-mapping selectboxes: f"{MAPPING_PREFIX}{label}:{upload}:{i}:{header}".
MAPPING_PREFIX = "mapping:"
_NOT_CONTRACT = "(custom column)"
_NEW_MAP, _RENAME_TO, _CONFIRM_DELETE = "data_new_map", "data_rename_to", "data_confirm_delete"
_ERASE_PERSON, _CONFIRM_ERASE = "data_erase_person", "data_confirm_erase"
#: The erase picker's search field (``person_picker`` draws it on a big map).
_ERASE_FIND = find_key(_ERASE_PERSON)


@dataclass(frozen=True)
class Upload:
    """A file in one of the upload boxes: its role, file name and bytes, and ``token``, unique to this upload."""

    label: str
    name: str
    data: bytes
    token: str


def _upload_boxes() -> dict[str, Upload]:
    """Draw the three upload boxes and return the files they hold now, by role.

    The boxes are the only source: nothing is kept beside them, so a cleared box, a box Streamlit forgot
    because the page was left, or a box replaced after an import gives no file.
    """
    round_ = st.session_state.get(UPLOAD_ROUND, 0)
    found: dict[str, Upload] = {}
    for (label, title, _), column in zip(FILES, st.columns(len(FILES))):
        with column:
            file = st.file_uploader(title, type=_UPLOAD_TYPES, key=f"{_UPLOADER}{round_}:{label}")
        if file is not None:
            found[label] = Upload(label, file.name, file.getvalue(), f"{round_}:{file.file_id}")
    return found


def _fill_name_box(people: Upload) -> None:
    """A new stakeholders file names the map after itself and unticks Replace (both stay the user's after)."""
    if st.session_state.get(_NAME_FOR) != people.token or IMPORT_NAME not in st.session_state:
        st.session_state[IMPORT_NAME] = PurePath(people.name).stem
        st.session_state[IMPORT_REPLACE] = False
        st.session_state[_NAME_FOR] = people.token


def _error(error: StakeholderMapError) -> None:
    st.error(markdown_text(str(error)))


def _maps_section(name: str | None) -> None:
    st.subheader("Maps", anchor=False)
    st.dataframe(state.map_list(), hide_index=True, width="stretch", column_config={
        "ties": st.column_config.NumberColumn(
            "ties", help="Rows of the influences file. The Map counts pairs of people: several ties between "
                         "the same two people (e.g. advice and friendship) make one pair."),
    })
    member = state.member()
    if not (member.can(None, "import") or (name is not None and member.can(name, "rename_map"))):
        return
    create, rename, delete = st.columns(3)
    with create:
        new = st.text_input("New map name", key=_NEW_MAP, disabled=not member.can(None, "import"))
        if st.button("Create map", disabled=not new.strip()):
            try:
                member.create_map(new)
            except StakeholderMapError as e:
                _error(e)
            else:
                state.set_current_map(" ".join(new.split()))
                state.flash("success", f"Created the empty map {markdown_text(new)}.")
                st.rerun()
    if name is None or not member.can(name, "rename_map"):
        return
    with rename:
        target = st.text_input("Rename the current map to", key=_RENAME_TO)
        if st.button("Rename", disabled=not target.strip()):
            try:
                member.rename_map(name, target)
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
                member.delete_map(name)
            except StakeholderMapError as e:
                _error(e)
            else:
                state.set_current_map(None)
                state.flash("success", f"Deleted the map {markdown_text(name)}.")
                st.rerun()


def _sheet_step(uploads: dict[str, Upload]) -> dict[str, str] | None:
    """Sheet pickers for each uploaded workbook; returns {label: sheet ("" = left out)}, or None to stop.

    A workbook's own box picks one of its sheets; the stakeholders' workbook (else the first one) also
    offers a sheet for each box left empty. Each picker opens on the sheet named like the file
    (:data:`~stakeholder_map.ingest_xlsx.SHEET_NAMES`); the box's own picker with none when no name says.
    """
    books: dict[str, list[str]] = {}
    for label, upload in uploads.items():
        if ingest_xlsx.is_workbook(upload.name, upload.data):
            try:
                books[label] = state.workbook_sheets(upload.name, upload.data)
            except ContractError as refused:
                _show_refusal(refused)
                return None
    if not books:
        return {}
    donor = next(label for label, _, _ in FILES if label in books)
    picks: dict[str, str] = {}
    waiting = []
    for book_label, sheets in books.items():
        upload = uploads[book_label]
        roles = [book_label] + ([label for label, _, _ in FILES if label not in uploads] if book_label == donor else [])
        st.markdown(f"**Sheets of {markdown_text(upload.name)}**")
        columns = st.columns(len(FILES))
        for column, role in zip(columns, roles):
            own = role == book_label
            guess = ingest_xlsx.sheet_for(role, sheets)
            if guess is None and own and len(sheets) == 1:
                guess = sheets[0]
            options = list(sheets) if own else [_NO_SHEET, *sheets]
            with column:
                chosen = st.selectbox(
                    f"Sheet for {role}", options, key=f"{SHEET_PREFIX}{upload.token}:{role}",
                    index=options.index(guess) if guess in options else (None if own else 0),
                    placeholder="Pick the sheet",
                    help="Hidden sheets are not offered." if own else f"A sheet of this workbook for the {role}, "
                         "or none.")
            if chosen is None:
                waiting.append(role)
            else:
                picks[role] = "" if chosen == _NO_SHEET else chosen
    if waiting:
        st.info(f"No sheet of the workbook is named {' or '.join(waiting)}: pick the sheet that holds "
                f"{'them' if len(waiting) > 1 else 'it'} above.")
        return None
    return picks


def _unmapped(spec: s.FileSpec, chosen: dict[str, str | None]) -> list[str]:
    """The required columns of ``spec`` no header is mapped to."""
    return [c for c in spec.required if c not in chosen.values()]


def _mapping_step(uploads: dict[str, Upload], sources: dict[str, tuple[str, list[str]]]) -> dict:
    """Column-mapping selectboxes, guessed from the headers; returns {label: {header: column}}.

    ``sources`` gives per label the file (or sheet) it is read from and its headers. Opened on its own, with a
    hint, when the guess leaves a required column without a header: the user then only has to say which of
    their columns holds it.
    """
    specs = {label: spec for label, _, spec in FILES}
    guesses = {label: ingest.guess_mapping(headers, specs[label]) for label, (_, headers) in sources.items()}
    lacking = any(_unmapped(specs[label], guess) for label, guess in guesses.items())
    title = ("Column mapping: a required column was not recognised, pick it below" if lacking else
             "Column mapping (guessed from the headers; change any that are wrong)")
    tokens = {label: upload.token for label, upload in uploads.items()}
    first = next((u.token for u in uploads.values()), "")
    mappings: dict[str, dict[str, str | None]] = {}
    with st.expander(title, expanded=lacking, icon=":material/warning:" if lacking else None):
        for label, title, spec in FILES:
            if label not in sources:
                continue
            source, headers = sources[label]
            guess = guesses[label]
            token = tokens.get(label, f"{first}:{source}")
            st.markdown(f"**{label.capitalize()}** · {markdown_text(source)}")
            options = list(spec.columns) + [_NOT_CONTRACT]
            columns = st.columns(4)
            chosen: dict[str, str | None] = {}
            for i, header in enumerate(headers):
                default = guess.get(header)
                with columns[i % 4]:
                    value = st.selectbox(
                        markdown_text(header) or f"column {i + 1}", options,
                        index=options.index(default) if default in options else len(options) - 1,
                        key=f"{MAPPING_PREFIX}{label}:{token}:{source}:{i}:{header}",
                    )
                chosen[header] = None if value == _NOT_CONTRACT else value
            missing = _unmapped(spec, chosen)
            if missing:
                hints = [(c, spec.closest_header(c, [h for h in headers if not chosen.get(h)])) for c in missing]
                likely = "; ".join(f"“{markdown_text(h)}” looks like **{c}**" for c, h in hints if h)
                st.warning(
                    f"No column of {markdown_text(source)} is recognised as "
                    f"{' or '.join(f'**{c}**' for c in missing)} (required). Set the box of the column that "
                    f"holds it to {' / '.join(f'“{c}”' for c in missing)}; its headers are: "
                    f"{', '.join(markdown_text(h) for h in headers) or 'none'}."
                    + (f" Likely: {likely}." if likely else ""))
            mappings[label] = chosen
    return mappings


def _show_refusal(refused: ContractError) -> None:
    headline = refused.summary().splitlines()[0]
    if refused.total == 1 and refused.problems[0].row is None:
        # A whole file refused (an old .xls, a damaged workbook): say why right here, not only in the table.
        headline += f" {refused.problems[0].message[:1].upper()}{refused.problems[0].message[1:]}."
    st.error(markdown_text(headline))
    lacking = import_view.missing_columns(refused)
    if lacking:
        # Issue 11's header synonyms may add a suggestion to the error; show it here when it does.
        st.info("The column mapping above is open: tell it which of your columns holds "
                + "; ".join(f"{', '.join(cols)} in {markdown_text(file)}" for file, cols in lacking.items())
                + ", or rename that header in the file.")
    st.dataframe(refused.as_records(), hide_index=True, width="stretch")
    if refused.more:
        st.caption(f"… and {refused.more} more problems.")


def _show_plan(uploads: dict[str, Upload], sources: dict[str, tuple[str, list[str]]], data, name: str,
               exists: bool) -> None:
    """Say exactly which files (and sheets) and which map name the Import button will use."""
    # The influences file's own rows: the ties made from a manager column come after them.
    rows = {"stakeholders": len(data.people), "influences": len(data.ties) - data.reporting_lines,
            "engagements": len(data.engagements)}
    sizes = {u.name: len(u.data) for u in uploads.values()}
    facts = [import_view.UploadFacts(label, source, sizes.get(source.split(", sheet ")[0], 0), rows[label])
             for label, (source, _) in sources.items()]
    plan = import_view.import_plan(facts, [label for label, _, _ in FILES])
    lines = [f"- {label}: {markdown_text(what)}" for label, what in plan]
    target = (f"into the map **{markdown_text(name)}**" if name else "into a map that needs a name (type one above)")
    if name and exists:
        target += " (a map of that name exists: Import replaces it only if you tick Replace)"
    elif name:
        target += " (a new map)"
    st.markdown("**Import will use**\n" + "\n".join(lines) + f"\n\n{target}.")


def _import_section() -> None:
    st.subheader("Import CSV files or workbooks", anchor=False)
    st.caption(
        "One row per person in the stakeholders file (id and name required), one row per tie in the "
        "influences file (source can move target), and optionally one row per meeting or touchpoint in "
        "the engagements file. A file with any problem is refused whole and nothing changes. Only the files "
        "in the boxes are used; after an import the boxes start empty. An Excel workbook (.xlsx) can take the "
        "place of any file, or give all three as sheets named stakeholders, influences and engagements."
    )
    uploads = _upload_boxes()
    if "stakeholders" not in uploads:
        st.info("Upload at least the stakeholders file to import a map"
                + (" (the files in the other boxes are used with it)." if uploads else "."))
        st.button("Import", type="primary", disabled=True, key="data_import_disabled")
        return
    _fill_name_box(uploads["stakeholders"])
    picks = _sheet_step(uploads)
    if picks is None:
        st.button("Import", type="primary", disabled=True, key="data_import_disabled")
        return
    files = tuple((label, uploads[label].name, uploads[label].data) if label in uploads else None
                  for label, _, _ in FILES)
    sheets = tuple(sorted(picks.items()))
    try:
        sources = state.upload_sources(files, sheets)
    except ContractError as refused:
        _show_refusal(refused)
        return
    mappings = _mapping_step(uploads, sources)
    frozen = tuple((label, tuple(m.items())) for label, m in sorted(mappings.items()))
    try:
        data = state.read_upload(files, sheets, frozen)
    except ContractError as refused:
        _show_refusal(refused)
        return

    st.markdown(f"**Preview**: {len(data.people):,} people, {len(data.ties):,} ties, "
                f"{len(data.engagements):,} engagements.")
    for warning in data.warnings:
        st.warning(markdown_text(warning))
    preview = st.tabs(["Stakeholders", "Influences", "Engagements"])
    for tab, frame in zip(preview, (data.people, data.ties, data.engagements)):
        with tab:
            st.dataframe(import_view.preview_table(frame), hide_index=True, width="stretch")
    name = st.text_input("Map name", key=IMPORT_NAME)
    replace = st.checkbox("Replace the map of that name if it exists", key=IMPORT_REPLACE)
    clean = " ".join(name.split())
    exists = bool(clean) and clean in state.map_names()
    _show_plan(uploads, sources, data, clean, exists)
    if st.button("Import", type="primary", disabled=not clean or (exists and not replace)):
        try:
            with st.spinner("Importing…"):
                report = state.member().import_map(name, data, replace=replace)
        except StakeholderMapError as e:
            _error(e)
            return
        state.set_current_map(report.map)
        # New, empty boxes: nothing of this upload can slip into the next import.
        st.session_state[UPLOAD_ROUND] = st.session_state.get(UPLOAD_ROUND, 0) + 1
        for key in (IMPORT_NAME, IMPORT_REPLACE, _NAME_FOR):
            st.session_state.pop(key, None)
        state.flash("success", f"Imported {report.people:,} people, {report.ties:,} ties and "
                               f"{report.engagements:,} engagements into the map "
                               f"{markdown_text(report.map)}. It is now the current map.")
        st.rerun()


def _export_section(name: str) -> None:
    st.subheader("Export", anchor=False)
    # The files are made when a button is pressed, outside the script run (no st.user there): the session's
    # member goes with them, and is checked then.
    member = state.member()
    if member.can(name, "export"):
        st.caption("The current map's files, in the same format the import reads: three CSV files, or one Excel "
                   "workbook with them as sheets.")
        columns = st.columns(len(export.EXPORT_FILES) + 1)
        for file_name, column in zip(export.EXPORT_FILES, columns):
            with column:
                st.download_button(file_name, data=lambda f=file_name: _full_export(member, name)[f],
                                   file_name=file_name, mime="text/csv", on_click="ignore",
                                   key=f"export:{file_name}")
        with columns[-1]:
            st.download_button(
                "Workbook (.xlsx)", data=lambda: _workbook_export(member, name), mime=export_xlsx.XLSX_MIME,
                file_name=export_xlsx.workbook_filename(name), on_click="ignore", key="export:xlsx",
                help="One Excel workbook: sheets stakeholders, influences and engagements, numbers as numbers, "
                     "dates as dates, text always as text (nothing in it runs as a formula).")
    else:
        st.caption("The current map without names, e-mail addresses or notes, fit for sharing (the full export "
                   "is for the map's admins).")
    st.download_button(
        "Download pseudonymised export (.zip)", mime="application/zip", on_click="ignore", key="export:pseudonymised",
        data=lambda: _pseudonymised_export(member, name),
        file_name=export.safe_filename(name, suffix="-pseudonymised.zip"),
        help="The same three files made fit for sharing: ids replaced by keyed hashes (a fresh random key each "
             "time), names, emails, roles, notes and custom columns left out, departments of fewer than "
             f"{export.MIN_DEPARTMENT} people merged into “{export.OTHER_DEPARTMENT}”. The network and stances "
             "stay the same.")


def _full_export(member: Member, name: str) -> dict[str, bytes]:
    """The map's three files, for an admin of the map (checked when the download is made)."""
    member.require(name, "export")
    return export.export_map(member.store, name)


def _workbook_export(member: Member, name: str) -> bytes:
    """The map as one workbook, for an admin of the map (checked when the download is made)."""
    member.require(name, "export")
    return export_xlsx.export_workbook(member.store, name)


def _pseudonymised_export(member: Member, name: str) -> bytes:
    """The map made fit for sharing, for anyone who may read it (checked when the download is made)."""
    member.require(name, "read")
    activities = None if member.can(name, "read_private") else privacy.redact_activities   # a viewer's: no text
    return export.zip_files(export.pseudonymised_export(member.store, name, activities=activities))


def _erase(name: str, labels: dict[str, str]) -> None:
    """The Erase button was pressed: remove the person, then forget the choice."""
    person = st.session_state.get(_ERASE_PERSON)
    if person is None or not st.session_state.get(_CONFIRM_ERASE):
        return
    try:
        report = state.member().erase_person(name, person)
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
    if state.may(None, "import") or (name is not None and state.may(name, "replace")):
        _import_section()
    if name is not None and state.may(name, "import"):
        interactions_import.section(name)
    if name is not None:
        st.divider()
        _export_section(name)
        if state.may(name, "erase"):
            _erase_section(name)


if __name__ == "__main__":  # Streamlit runs pages as __main__; importing one (doctests) does nothing
    with state.errors_shown():
        main()
