"""The CSV contract (CONTRACT.md §1–4), rule by rule, as ingest enforces it."""

from __future__ import annotations

from datetime import date

import pytest
from tests.support import csv

from stakeholder_map import schema as s
from stakeholder_map.errors import MAX_PROBLEMS, ContractError
from stakeholder_map.ingest import guess_mapping, read_headers, read_map


def refused(*files, **kwargs) -> ContractError:
    with pytest.raises(ContractError) as info:
        read_map(*files, **kwargs)
    return info.value


PEOPLE = """
    id,name,department
    a,Ann,IT
    b,Bo,Finance
    c,Cy,
"""


# ----------------------------------------------------------- stakeholders.csv

def test_required_columns_only():
    data = read_map(csv("id,name\n1,Ann\n"))
    row = data.people.iloc[0]
    assert (row[s.ID], row[s.NAME], row[s.DEPARTMENT]) == ("1", "Ann", s.UNASSIGNED)
    assert data.ties.empty and data.engagements.empty


def test_empty_department_becomes_unassigned():
    data = read_map(csv(PEOPLE))
    assert list(data.people[s.DEPARTMENT]) == ["IT", "Finance", "Unassigned"]


@pytest.mark.parametrize("header", ["ID,Name", "id , NAME", "I_D,na-me", "Stakeholder ID,Full Name"])
def test_headers_match_ignoring_case_spaces_underscores_and_dashes(header):
    data = read_map(csv(f"{header}\n1,Ann\n"))
    assert list(data.people[s.ID]) == ["1"] and list(data.people[s.NAME]) == ["Ann"]


@pytest.mark.parametrize("word,value", [("resistant", -2), ("Skeptic", -1), ("neutral", 0),
                                        ("supporter", 1), ("CHAMPION", 2), ("-2", -2), ("2", 2), ("", None)])
def test_stance_words_and_numbers(word, value):
    stance = read_map(csv(f"id,name,stance\n1,Ann,{word}\n")).people[s.STANCE].iloc[0]
    assert (None if stance is None or stance is __import__("pandas").NA else stance) == value


@pytest.mark.parametrize("word,value", [("staff", 1), ("lead", 2), ("Manager", 3), ("director", 4),
                                        ("executive", 5), ("3", 3)])
def test_seniority_words_and_numbers(word, value):
    assert read_map(csv(f"id,name,seniority\n1,Ann,{word}\n")).people[s.SENIORITY].iloc[0] == value


def test_other_columns_are_kept_as_custom_attributes():
    data = read_map(csv("id,name,Location,Badge No\n1,Ann,Paris,007\n"))
    assert data.custom_columns == ["Location", "Badge No"]
    assert data.people[s.ATTRIBUTES].iloc[0] == {"Location": "Paris", "Badge No": "007"}


def test_ids_that_look_like_numbers_stay_text():
    data = read_map(csv("id,name\n007,Bond\n1.0,One\n"), csv("source,target\n007,1.0\n"))
    assert list(data.people[s.ID]) == ["007", "1.0"]
    assert list(data.ties[s.SOURCE]) == ["007"]


def test_user_mapping_overrides_header_matching():
    mapping = {"stakeholders": {"Who": s.ID, "Called": s.NAME, "Team": s.DEPARTMENT}}
    data = read_map(csv("Who,Called,Team\nx,Ann,IT\n"), mappings=mapping)
    assert data.people[[s.ID, s.NAME, s.DEPARTMENT]].values.tolist() == [["x", "Ann", "IT"]]


def test_headers_and_mapping_guess_for_the_mapping_step():
    fp = csv("\ufeffFull Name;Dept;Shoe size\nAnn;IT;38\n")
    headers = read_headers(fp)
    assert headers == ["Full Name", "Dept", "Shoe size"]
    assert fp.read(3) == "\ufeff".encode()  # rewound
    assert guess_mapping(headers, s.STAKEHOLDERS) == {"Full Name": "name", "Dept": "department", "Shoe size": None}


# ------------------------------------------- awkward but valid spreadsheet files

def test_semicolon_delimiter_bom_and_crlf():
    raw = "\ufeffid;name;department\r\n1;Ann;IT\r\n2;Bo;Finance\r\n".encode("utf-8")
    from io import BytesIO

    data = read_map(BytesIO(raw))
    assert list(data.people[s.NAME]) == ["Ann", "Bo"]


def test_tab_delimiter():
    assert list(read_map(csv("id\tname\n1\tAnn\n")).people[s.NAME]) == ["Ann"]


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet():
    e = refused(csv("id,name\n1,Ann\n\n\n1,Bo\n"))
    assert [(p.row, p.column) for p in e.problems] == [(5, "id")]


def test_quoted_fields_with_delimiters_quotes_and_newlines():
    data = read_map(csv('id,name,notes\n1,"Smith, Ann","Said ""no"".\nTwice."\n2,Bo,\n'))
    assert data.people[s.NAME].iloc[0] == "Smith, Ann"
    assert data.people[s.NOTES].iloc[0] == 'Said "no".\nTwice.'


def test_trailing_delimiters_and_short_rows():
    data = read_map(csv("id,name,department,\n1,Ann,IT,\n2,Bo\n"))
    assert list(data.people[s.DEPARTMENT]) == ["IT", "Unassigned"]


def test_spaces_around_values_are_trimmed():
    data = read_map(csv("id,name\n 1 ,  Ann \n"), csv("source,target\n1 , 1\n"))
    assert data.people[[s.ID, s.NAME]].values.tolist() == [["1", "Ann"]]


def test_accents_and_non_latin_text():
    data = read_map(csv("id,name,department\n1,Zoë Ångström,Qualité\n2,李雷,研发\n"))
    assert list(data.people[s.NAME]) == ["Zoë Ångström", "李雷"]


# ------------------------------------------------------------- influences.csv

def test_influences_with_weight_and_kind():
    data = read_map(csv(PEOPLE), csv("source,target,weight,kind\na,b,2.5,advice\nb,c,,\n"))
    assert data.ties.values.tolist()[0] == ["a", "b", 2.5, "advice"]
    assert data.ties[s.WEIGHT].iloc[1] == 1.0  # default


@pytest.mark.parametrize("header", ["from,to", "Influencer,Influenced", "SOURCE,Target"])
def test_influence_header_synonyms(header):
    data = read_map(csv(PEOPLE), csv(f"{header}\na,b\n"))
    assert data.ties[[s.SOURCE, s.TARGET]].values.tolist() == [["a", "b"]]


def test_several_kinds_between_one_pair_are_kept_as_separate_ties():
    data = read_map(csv(PEOPLE), csv("source,target,kind\na,b,advice\na,b,friendship\n"))
    assert len(data.ties) == 2


def test_self_loops_are_dropped_with_a_warning_not_an_error():
    data = read_map(csv(PEOPLE), csv("source,target\na,a\na,b\nc,c\n"))
    assert data.ties[[s.SOURCE, s.TARGET]].values.tolist() == [["a", "b"]]
    assert data.warnings == ["influences.csv: dropped 2 self-loops (rows 2, 4)"]


# ------------------------------------------------------------ engagements.csv

def test_engagements():
    data = read_map(csv(PEOPLE), None, csv("date,stakeholder_id,activity,stance_after,notes\n"
                                           "2026-09-01,a,demo,supporter,liked it\n2026-09-02,b,,,\n"))
    first = data.engagements.iloc[0]
    assert first[s.DATE] == date(2026, 9, 1) and first[s.STANCE_AFTER] == 1
    assert first[s.ACTIVITY] == "demo" and data.engagements[s.STANCE_AFTER].isna().iloc[1]


# ------------------------------------------------------------------ bad input

def test_unknown_id_in_edge_file_names_file_row_column_and_id():
    e = refused(csv(PEOPLE), csv("source,target\na,b\nb,c\na,c\nzz,a\n"), names=("p.csv", "ties.csv", "e.csv"))
    assert [(p.file, p.row, p.column) for p in e.problems] == [("ties.csv", 5, "source")]
    assert "'zz'" in e.problems[0].message and "unknown" in e.problems[0].message


def test_unknown_id_in_engagements():
    e = refused(csv(PEOPLE), None, csv("date,stakeholder_id\n2026-01-01,nobody\n"))
    assert (e.problems[0].file, e.problems[0].row, e.problems[0].column) == ("engagements.csv", 2, "stakeholder_id")


def test_duplicate_ids_name_both_rows():
    e = refused(csv("id,name\n1,Ann\n2,Bo\n1,Cy\n"))
    assert [(p.row, p.column) for p in e.problems] == [(4, "id")]
    assert "first at row 2" in e.problems[0].message


def test_missing_required_column():
    e = refused(csv("id,full\n1,Ann\n"))
    assert [(p.file, p.row, p.column, p.message) for p in e.problems] == [
        ("stakeholders.csv", 1, "name", "missing required column (closest header: 'full'; map it to 'name')")]
    assert e.missing_columns == [{"file": "stakeholders.csv", "column": "name", "suggestion": "full"}]


def test_missing_required_value():
    e = refused(csv("id,name\n1,\n,Bo\n"))
    assert sorted((p.row, p.column) for p in e.problems) == [(2, "name"), (3, "id")]


@pytest.mark.parametrize("column,value", [("influence", "6"), ("interest", "0"), ("seniority", "9"),
                                          ("stance", "3"), ("stance", "grumpy"), ("influence", "high"),
                                          ("seniority", "2.5")])
def test_numbers_out_of_range_or_unreadable(column, value):
    e = refused(csv(f"id,name,{column}\n1,Ann,1\n2,Bo,{value}\n"))
    assert [(p.row, p.column) for p in e.problems] == [(3, column)]
    assert repr(value) in e.problems[0].message


@pytest.mark.parametrize("value", ["0", "-1", "heavy", "inf"])
def test_weight_must_be_a_positive_number(value):
    e = refused(csv(PEOPLE), csv(f"source,target,weight\na,b,{value}\n"))
    assert [(p.file, p.row, p.column) for p in e.problems] == [("influences.csv", 2, "weight")]


def test_bad_date():
    e = refused(csv(PEOPLE), None, csv("date,stakeholder_id\n01/02/2026,a\n"))
    assert (e.problems[0].row, e.problems[0].column) == (2, "date")


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_empty_file(content):
    from io import BytesIO

    e = refused(BytesIO(content))
    assert e.problems[0].message == "the file is empty" and e.problems[0].row is None


def test_header_only_file_has_no_people_but_is_valid():
    assert read_map(csv("id,name\n")).people.empty
    assert read_map(csv("id,name\n"), csv("source,target\n"), csv("date,stakeholder_id\n")).people.empty


def test_header_only_stakeholders_with_ties_says_first_it_has_no_people():
    """Not hundreds of "unknown stakeholder id" problems about the other files (issue 11)."""
    ties = "source,target\n" + "".join(f"{i},{i + 1}\n" for i in range(300))
    events = "date,stakeholder_id\n2026-01-01,1\n"
    e = refused(csv("id,name,department\n,,\n"), csv(ties), csv(events), names=("people.csv", "t.csv", "e.csv"))
    assert [(p.file, p.row, p.column) for p in e.problems] == [("people.csv", None, None)]
    assert "no people" in e.problems[0].message and e.total == 1
    assert "unknown stakeholder id" not in str(e)


def test_no_people_comes_before_the_other_files_problems():
    e = refused(csv("id,name\n"), csv("source,target,weight\na,b,heavy\n"))
    assert [(p.file, p.row, p.column) for p in e.problems] == [("stakeholders.csv", None, None),
                                                              ("influences.csv", 2, "weight")]
    assert "no people" in e.problems[0].message


def test_unreadable_encoding_names_the_row():
    from io import BytesIO

    e = refused(BytesIO(b"id,name\n1,Ann\n2,Zo\x81\n"))  # neither UTF-8 nor Windows-1252
    assert (e.problems[0].row, "encoding" in e.problems[0].message) == (3, True)
    e = refused(BytesIO(b"id,name\n1,Ann\x00\n"))
    assert (e.problems[0].row, "encoding" in e.problems[0].message) == (2, True)


def test_too_many_fields_in_a_row():
    e = refused(csv("id,name\n1,Ann\n2,Bo,extra\n3,Cy\n4,Di,x,y\n"))
    assert [p.row for p in e.problems] == [3, 5]


def test_duplicate_headers_are_refused():
    e = refused(csv("id,name,Name\n1,Ann,Ann\n"))
    assert (e.problems[0].row, e.problems[0].column) == (1, "Name")


def test_every_problem_across_files_is_reported_together():
    e = refused(csv("id,name,influence\n1,Ann,9\n1,Bo,2\n"), csv("source,target\n1,x\ny,1\n"))
    assert [(p.file, p.row) for p in e.problems] == [("stakeholders.csv", 2), ("stakeholders.csv", 3),
                                                     ("influences.csv", 2), ("influences.csv", 3)]


def test_problem_list_is_capped_and_says_how_many_more():
    rows = "".join(f"{i},P{i},9\n" for i in range(500))
    e = refused(csv("id,name,influence\n" + rows))
    assert e.total == 500 and len(e.problems) == MAX_PROBLEMS and e.more == 500 - MAX_PROBLEMS
    assert f"and {500 - MAX_PROBLEMS} more" in str(e)


def test_formula_quote_from_our_exports_is_removed_on_import():
    data = read_map(csv("id,name,notes\n1,'=1+1,'-not a number\n"))
    assert (data.people[s.NAME].iloc[0], data.people[s.NOTES].iloc[0]) == ("=1+1", "-not a number")


@pytest.mark.parametrize(("header", "column"), [
    ("Employee ID", "id"), ("Emp ID", "id"), ("Staff ID", "id"), ("Full Name", "name"), ("Employee Name", "name"),
    ("Dept", "department"), ("Department Name", "department"), ("Team", "department"),
    ("Business Unit", "department"), ("Job Title", "role"), ("Title", "role"), ("Position", "role"),
    ("Level", "seniority"), ("Grade", "seniority"), ("Attitude", "stance"), ("Position on change", "stance"),
    ("Support", "stance"), ("Power", "influence"), ("Authority", "influence"), ("Impact", "interest"),
    ("E-mail", "email"), ("Mail", "email"), ("Comments", "notes"),
])
def test_common_stakeholder_header_synonyms(header, column):
    assert s.STAKEHOLDERS.canonical(header) == column


@pytest.mark.parametrize(("header", "column"), [("From", "source"), ("Influencer", "source"), ("Source ID", "source"),
                                                ("To", "target"), ("Target ID", "target"), ("Strength", "weight")])
def test_common_influence_header_synonyms(header, column):
    assert s.INFLUENCES.canonical(header) == column


def test_an_hr_export_imports_without_a_mapping():
    data = read_map(csv("Employee ID,Employee Name,Business Unit,Job Title,Grade,Attitude,Power,Impact,E-mail,Comments\n"
                        "7,Ann,Sales,Rep,2,supporter,4,5,ann@x.org,likes demos\n"),
                    csv("Source ID,Target ID\n7,7\n"))
    row = data.people.iloc[0]
    assert (row["id"], row["name"], row["department"], row["role"], row["seniority"], row["stance"],
            row["influence"], row["interest"], row["email"], row["notes"]) == (
        "7", "Ann", "Sales", "Rep", 2, 1, 4, 5, "ann@x.org", "likes demos")


def test_a_missing_required_column_names_the_closest_header_as_data():
    e = refused(csv("Person Ref ID,Emp Nme,Dept\n1,Ann,IT\n"))
    assert e.missing_columns == [
        {"file": "stakeholders.csv", "column": "id", "suggestion": "Person Ref ID"},
        {"file": "stakeholders.csv", "column": "name", "suggestion": "Emp Nme"},
    ]
    assert "closest header: 'Emp Nme'" in str(e)
    assert refused(csv("id,Badge\n1,x\n")).missing_columns == [
        {"file": "stakeholders.csv", "column": "name", "suggestion": None}]
