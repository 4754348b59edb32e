#!/usr/bin/env python3
"""Generate the bundled demo organisation: Larkfield Controls (fictional).

Larkfield Controls is an invented mid-size maker of smart building controls
(about 220 people in Leeds, Manchester, a distribution centre in Wakefield and
a small Rotterdam office). Its IT department is rolling out a project-management
tool; the three CSV files describe the people, who influences whom, and one
quarter of engagement by the rollout team (24 Aug - 20 Nov 2026), with a baseline
assessment on 21 Aug of the people whose stance moved during the quarter.

The organisation chart, the notable characters and the rollout plan are written
out by hand below; names, ordinary people's stances, notes, most ties and the
details of the engagements are drawn from a seeded ``random.Random``. The same
seed gives byte-identical files. Standard library only.

Usage::

    python data/demo/generate.py               # writes next to this file
    python data/demo/generate.py --out DIR --seed 7

Everyone and everything here is fictional; any resemblance to real people is
coincidental.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
import sys
import unicodedata
from collections import Counter
from pathlib import Path

DEFAULT_SEED = 2026
HERE = Path(__file__).resolve().parent
QUARTER_START = dt.date(2026, 8, 24)  # a Monday
QUARTER_END = dt.date(2026, 11, 20)  # a Friday
#: The rollout team's baseline stakeholder assessment, the Friday before the kick-off.
BASELINE_DATE = dt.date(2026, 8, 21)
BASELINE_NOTE = "Baseline assessment by the rollout team before the kick-off (stance as judged then)"

STANCE_WORDS = ("resistant", "skeptic", "neutral", "supporter", "champion")
STANCE_VALUE = {word: i - 2 for i, word in enumerate(STANCE_WORDS)}

PEOPLE_COLUMNS = ["id", "name", "department", "role", "seniority", "stance", "influence",
                  "interest", "email", "location", "tenure_years", "notes"]
TIE_COLUMNS = ["source", "target", "weight", "kind"]
ENGAGEMENT_COLUMNS = ["date", "stakeholder_id", "activity", "stance_after", "notes"]
KIND_ORDER = ("reports_to", "collaboration", "advice", "friendship")


# --------------------------------------------------------------------------
# The organisation chart
# --------------------------------------------------------------------------

def R(role: str, seniority: int, n: int = 1, *, key: str | None = None,
      team: str | None = None, reports: tuple | list = ()) -> dict:
    """One line of the org chart: ``n`` people with this role and their reports."""
    return {"role": role, "seniority": seniority, "n": n, "key": key, "team": team,
            "reports": list(reports)}


# Stance weights: resistant, skeptic, neutral, supporter, champion, unknown.
DEPARTMENTS = [
    {
        "name": "Executive Office", "interest": 3, "stance": (0, 0, 4, 4, 0, 2),
        "locations": (("Leeds (HQ)", 1),),
        "head": R("Chief Executive Officer", 5, key="ceo", reports=[
            R("Chief of Staff", 4, key="chief_of_staff"),
            R("Executive Assistant", 1),
        ]),
    },
    {
        "name": "IT", "interest": 4, "stance": (0, 8, 15, 45, 22, 10),
        "locations": (("Leeds (HQ)", 6), ("Manchester", 2), ("Remote", 2)),
        "head": R("IT Director", 4, key="it_director", reports=[
            R("PM Software Rollout Lead", 2, key="rollout_lead"),
            R("Infrastructure Manager", 3, key="infra_manager", team="Infrastructure & Security", reports=[
                R("Senior Systems Architect", 2, key="architect"),
                R("Network Engineer", 1), R("Systems Administrator", 1, 2),
                R("Security Analyst", 1, 2), R("Cloud Engineer", 1),
            ]),
            R("Business Applications Manager", 3, key="apps_manager", team="Business Applications", reports=[
                R("Senior Business Analyst", 2), R("Business Analyst", 1), R("ERP Specialist", 1),
                R("Integration Developer", 1, 2),
            ]),
            R("Service Desk Manager", 3, key="service_desk_manager", team="Service Desk", reports=[
                R("Service Desk Lead", 2, key="service_desk_lead", reports=[R("Service Desk Analyst", 1, 5)]),
                R("Desktop Support Technician", 1),
            ]),
        ]),
    },
    {
        "name": "Finance", "interest": 3, "stance": (15, 40, 25, 8, 0, 12),
        "locations": (("Leeds (HQ)", 8), ("Remote", 1)),
        "head": R("Finance Director", 4, key="finance_director", reports=[
            R("Treasury Analyst", 1), R("Finance Systems Accountant", 2),
            R("FP&A Manager", 3, key="fpa_manager", team="FP&A", reports=[
                R("Senior Financial Analyst", 2), R("Financial Analyst, Operations & IT", 1, key="finance_analyst"),
                R("Financial Analyst", 1), R("Finance Business Partner", 2),
            ]),
            R("Financial Controller", 3, key="controller", team="Accounting", reports=[
                R("Senior Accountant", 2, key="senior_accountant"), R("Accountant", 1, 2),
                R("Specialist, Accounts Payable", 1, 2), R("Specialist, Accounts Receivable", 1),
                R("Payroll Accountant", 1),
            ]),
            R("Procurement Manager", 3, key="procurement_manager", team="Procurement", reports=[
                R("Buyer", 1, 2), R("Vendor Analyst", 1),
            ]),
        ]),
    },
    {
        "name": "Operations", "interest": 4, "stance": (3, 12, 20, 38, 15, 12),
        "locations": (("Leeds (HQ)", 1),),
        "team_locations": {"Warehouse & Distribution": "Wakefield DC", "Field Service": "Wakefield DC",
                           "Quality": "Wakefield DC", "Customer Support": "Manchester"},
        "head": R("Chief Operating Officer", 5, key="coo", reports=[
            R("Operations Analyst", 2, key="ops_analyst"), R("Facilities Coordinator", 1),
            R("Head of PMO", 3, key="pmo_head", team="PMO", reports=[
                R("Project Manager", 2, 2), R("PMO Analyst", 1),
            ]),
            R("Supply Chain Manager", 3, key="supply_chain_manager", team="Supply Chain", reports=[
                R("Senior Planner", 2), R("Demand Planner", 1, 3), R("Logistics Coordinator", 1, 2),
            ]),
            R("Warehouse Manager", 3, key="warehouse_manager", team="Warehouse & Distribution", reports=[
                R("Shift Supervisor", 2, key="shift_veteran", reports=[R("Warehouse Operative", 1, 3)]),
                R("Shift Supervisor", 2, reports=[R("Warehouse Operative", 1, 3)]),
            ]),
            R("Quality Manager", 3, key="quality_manager", team="Quality", reports=[
                R("Quality Engineer", 1, 2), R("Quality Inspector", 1, 2),
            ]),
            R("Customer Support Manager", 3, key="support_manager", team="Customer Support", reports=[
                R("Support Team Lead", 2, reports=[R("Support Agent", 1, 4)]),
                R("Support Team Lead", 2, reports=[R("Support Agent", 1, 4)]),
                R("Knowledge Base Specialist", 1),
            ]),
            R("Field Service Manager", 3, key="field_service_manager", team="Field Service", reports=[
                R("Field Service Technician", 1, 4),
            ]),
        ]),
    },
    {
        "name": "Sales", "interest": 2, "stance": (5, 20, 35, 15, 2, 23),
        "locations": (("Leeds (HQ)", 3), ("Manchester", 3), ("Rotterdam", 2), ("Remote", 3)),
        "head": R("VP Sales", 4, key="vp_sales", reports=[
            R("Bid Manager", 2),
            R("Enterprise Sales Manager", 3, key="enterprise_manager", team="Enterprise Sales", reports=[
                R("Senior Account Executive", 2, key="top_rep"), R("Account Executive", 1, 4),
                R("Sales Development Representative", 1, 2),
            ]),
            R("Mid-Market Sales Manager", 3, team="Mid-Market Sales", reports=[
                R("Account Executive", 1, 4), R("Account Executive", 1, key="new_starter"),
                R("Sales Development Representative", 1, 3),
            ]),
            R("Channel Manager", 3, team="Partner Channel", reports=[R("Partner Account Manager", 1, 3)]),
            R("Sales Operations Manager", 3, key="sales_ops_manager", team="Sales Operations", reports=[
                R("Sales Operations Analyst", 1, key="sales_ops_analyst"), R("Sales Operations Analyst", 1),
                R("CRM Administrator", 1),
            ]),
            R("Solutions Consulting Manager", 3, team="Solutions Consulting", reports=[
                R("Solutions Consultant", 1, 4),
            ]),
        ]),
    },
    {
        "name": "Marketing", "interest": 3, "stance": (2, 10, 35, 30, 3, 20),
        "locations": (("Leeds (HQ)", 4), ("Manchester", 2), ("Remote", 2)),
        "head": R("Marketing Director", 4, key="marketing_director", reports=[
            R("Brand Manager", 3, team="Brand & Content", reports=[
                R("Content Writer", 1, 2), R("Graphic Designer", 1, 2), R("Copywriter, Technical", 1),
            ]),
            R("Digital Marketing Manager", 3, team="Digital", reports=[
                R("SEO Specialist", 1), R("Marketing Automation Specialist", 1), R("Web Developer", 1),
                R("Social Media Coordinator", 1),
            ]),
            R("Product Marketing Manager", 3, key="pmm", team="Product Marketing", reports=[
                R("Product Marketing Specialist", 1, 2),
            ]),
            R("Events Manager", 3, team="Events", reports=[R("Events Coordinator", 1, 2)]),
        ]),
    },
    {
        "name": "HR", "interest": 2, "stance": (0, 10, 40, 30, 5, 15),
        "locations": (("Leeds (HQ)", 5), ("Manchester", 1)),
        "head": R("HR Director", 4, key="hr_director", reports=[
            R("HR Business Partner", 2, key="hrbp"), R("HR Business Partner", 2),
            R("HR Operations Manager", 3, team="HR Operations", reports=[
                R("HR Administrator", 1, 2), R("Payroll & Benefits Specialist", 1),
            ]),
            R("Talent Acquisition Manager", 3, team="Talent Acquisition", reports=[R("Recruiter", 1, 3)]),
            R("Learning & Development Manager", 3, key="ld_manager", team="Learning & Development", reports=[
                R("Learning Designer", 1), R("Trainer", 1),
            ]),
        ]),
    },
    {
        "name": "Legal", "interest": 2, "stance": (25, 45, 20, 0, 0, 10),
        "locations": (("Leeds (HQ)", 4), ("Rotterdam", 1)),
        "head": R("General Counsel", 4, key="general_counsel", reports=[
            R("Senior Legal Counsel", 3, key="senior_counsel", team="Commercial Legal", reports=[
                R("Legal Counsel", 2, 2), R("Paralegal", 1),
            ]),
            R("Data Protection Officer", 3, key="dpo", team="Privacy & Compliance", reports=[
                R("Compliance Analyst", 1),
            ]),
        ]),
        # Not on the org chart yet: no manager, no ties (the demo's isolate).
        "outside_chart": [R("Interim Paralegal (contractor)", 1, key="contractor")],
    },
    {
        "name": "Engineering", "interest": 4, "stance": (5, 25, 25, 25, 5, 15),
        "locations": (("Leeds (HQ)", 5), ("Manchester", 3), ("Remote", 3), ("Rotterdam", 1)),
        "head": R("VP Engineering & Product", 4, key="vp_engineering", reports=[
            R("Engineering Operations Coordinator", 1),
            R("Head of Product", 3, key="head_of_product", team="Product Management", reports=[
                R("Product Manager", 2, 3), R("Product Owner", 1, 2), R("UX Designer", 1, 2),
                R("Technical Writer", 1),
            ]),
            R("Engineering Manager, Platform", 3, key="em_platform", team="Platform", reports=[
                R("Principal Engineer", 2, key="principal_engineer"), R("Senior Software Engineer", 2, 2),
                R("Software Engineer", 1, 4), R("DevOps Engineer", 1, 2),
            ]),
            R("Engineering Manager, Firmware", 3, team="Firmware", reports=[
                R("Senior Firmware Engineer", 2), R("Firmware Engineer", 1, 4), R("Test Engineer", 1, 2),
            ]),
            R("Engineering Manager, Applications", 3, team="Applications", reports=[
                R("Tech Lead", 2, key="tech_lead", reports=[R("Software Engineer", 1, 3)]),
                R("Software Engineer", 1, 3), R("QA Engineer", 1, 2),
            ]),
            R("Hardware Engineering Manager", 3, team="Hardware", reports=[
                R("Electronics Engineer", 1, 3), R("Mechanical Engineer", 1, 2), R("Test Technician", 1, 2),
            ]),
            R("Engineering Program Manager", 3, key="eng_program_manager", team="Delivery", reports=[
                R("Scrum Master", 2, 2), R("Release Manager", 2),
            ]),
            R("Data Engineering Lead", 3, team="Data", reports=[R("Data Engineer", 1, 2), R("Data Analyst", 1, 2)]),
        ]),
    },
]

#: Teams whose work the project tool changes most (interest +1).
PM_HEAVY_TEAMS = {"PMO": 5, "Delivery": 5, "Product Management": 4, "Supply Chain": 4,
                  "Business Applications": 4}


# --------------------------------------------------------------------------
# Notable characters: fixed names, stances, scores and motivations
# --------------------------------------------------------------------------
# start = stance when the quarter began (drives the engagement history);
# stance = current stance (equals the last stance_after recorded).

CHARACTERS: dict[str, dict] = {
    "ceo": dict(name="Helen Marsh", stance="supporter", start="supporter", influence=5, interest=3, tenure=9,
                notes="Sponsor in name; wants one view of delivery dates for the board, "
                      "but will not overrule Finance on cost"),
    "chief_of_staff": dict(name="Kwame Mensah", stance="supporter", start="neutral", influence=4, interest=3,
                           notes="Runs the exec agenda; keen on a portfolio view for board packs"),
    "it_director": dict(name="Priya Raman", stance="champion", start="champion", influence=4, interest=5,
                        tenure=6, notes="Executive owner of the rollout; needs a visible win before the "
                                        "budget round"),
    "rollout_lead": dict(name="Tomás Ferreira", stance="champion", start="champion", influence=3, interest=5,
                         tenure=3, location="Leeds (HQ)",
                         notes="Leads the rollout; used the tool at a previous employer, well liked in "
                               "Operations"),
    "architect": dict(name="Wei Zhang", stance="supporter", start="supporter", influence=3, interest=3,
                      tenure=11, notes="Go-to person for integrations; wants the tool wired to Jira and the "
                                       "ERP before go-live"),
    "service_desk_manager": dict(stance="neutral", start="neutral",
                                 notes="Expects a spike in tickets after go-live; wants a proper handover"),
    "apps_manager": dict(stance="supporter", start="supporter",
                         notes="Owns the integration work, which lands on top of the ERP upgrade"),
    "finance_director": dict(name="Graham Whitlock", stance="skeptic", start="resistant", influence=5,
                             interest=3, tenure=14,
                             notes="Controls the licence budget. Worried the tool adds reporting overhead "
                                   "before quarter close; wants a cost case, not a feature list"),
    "finance_analyst": dict(name="Amara Nwosu", stance="supporter", start="skeptic", influence=2, interest=4,
                            tenure=4,
                            notes="Builds cost reports for Operations and IT; wants budgets and actuals in "
                                  "one place instead of five spreadsheets"),
    "senior_accountant": dict(name="Pauline Hargreaves", stance="skeptic", start="skeptic", influence=2,
                              interest=3, tenure=22,
                              notes="Has run month-end for twenty years; Finance and Operations check cost "
                                    "questions with her first. Distrusts timesheet data"),
    "fpa_manager": dict(stance="skeptic", start="skeptic",
                        notes="Follows Graham's lead on tools; asks who maintains the cost codes"),
    "controller": dict(stance="skeptic", start="skeptic",
                       notes="Project costs must reconcile with the ERP; fears two versions of the truth"),
    "coo": dict(name="Daniel Okafor", stance="champion", start="supporter", influence=5, interest=5, tenure=7,
                notes="Wants weekly delivery status without chasing people; offered Operations as the pilot"),
    "pmo_head": dict(name="Rachel Adeyemi", stance="champion", start="supporter", influence=4, interest=5,
                     tenure=5, notes="Wants visibility across projects; today she chases status updates by "
                                     "email every Friday"),
    "shift_veteran": dict(name="Siobhan O'Neill", stance="supporter", start="neutral", influence=2, interest=4,
                          tenure=18, location="Wakefield DC",
                          notes="Longest-serving supervisor; the warehouse floor follows her lead. Likes the "
                                "mobile task list, worried about training time for agency staff"),
    "supply_chain_manager": dict(stance="champion", start="supporter",
                                 notes="Supplier delivery plans live in fourteen spreadsheets today"),
    "support_manager": dict(stance="supporter", start="neutral",
                            notes="Wants customer escalations tracked to the end, not lost in inboxes"),
    "warehouse_manager": dict(stance="neutral", start="skeptic",
                              notes="Open to it if shift handovers get simpler, not longer"),
    "vp_sales": dict(name="Steve Carver", stance="neutral", start="neutral", influence=4, interest=2,
                     notes="Neutral as long as sellers are not asked to log time; watches what the top "
                           "reps do"),
    "top_rep": dict(name="Jack Thornton", stance="neutral", start="neutral", influence=3, interest=2, tenure=10,
                    notes='Top performer and mentor to most account executives: "fine, as long as it never '
                          'eats into selling time"'),
    "sales_ops_analyst": dict(name="Luca Bianchi", stance="supporter", start="neutral", influence=2,
                              interest=3, location="Rotterdam",
                              notes="Bridges Sales, Finance and Marketing on forecasts and campaign budgets"),
    "new_starter": dict(name="Aisha Rahman", stance="", start="", influence=1, interest=1, tenure=0,
                        notes="Joined in October; not on any project yet"),
    "marketing_director": dict(name="Olivia Bennett", stance="supporter", start="neutral", influence=4,
                               interest=3, notes="Wants campaign calendars in the same tool as product "
                                                 "launches"),
    "pmm": dict(stance="neutral", start="neutral",
                notes="Launch plans depend on Engineering dates she cannot see"),
    "hr_director": dict(name="Mark Ellis", stance="neutral", start="skeptic", influence=4, interest=2,
                        notes="Cautious after the last HR system overran; wants training owned by L&D"),
    "hrbp": dict(name="Chloé Martin", stance="supporter", start="neutral", influence=3, interest=3, tenure=6,
                 notes="HR business partner for Operations, Engineering and IT; hears managers' workload "
                       "complaints first"),
    "ld_manager": dict(name="Nadia Petrova", stance="supporter", start="neutral", influence=3, interest=4,
                       notes="Will build the training path for pilot users; asked for a sandbox"),
    "general_counsel": dict(name="Ingrid Sørensen", stance="resistant", start="skeptic", influence=4,
                            interest=2, tenure=12,
                            notes="Won't sign the vendor contract until data residency, retention and the "
                                  "DPA are settled; close to the Finance Director"),
    "dpo": dict(name="Renée Dubois", stance="skeptic", start="neutral", influence=3, interest=3,
                location="Rotterdam",
                notes="Reviewing the vendor's sub-processors; wants personal data kept out of task comments"),
    "contractor": dict(name="Oliver Grant", stance="", start="", influence=1, interest=1, tenure=0,
                       notes="Interim contractor covering parental leave; not on the org chart yet"),
    "vp_engineering": dict(name="Ana Kovač", stance="neutral", start="skeptic", influence=4, interest=4,
                           tenure=8, notes="Supports it in principle, won't force engineers off Jira; listens "
                                           "to the Principal Engineer"),
    "principal_engineer": dict(name="Marcus Webb", stance="skeptic", start="neutral", influence=3, interest=4,
                               tenure=13,
                               notes="The person engineers ask first. Sees the tool as duplicate tracking "
                                     "next to Jira, and says so in stand-ups"),
    "em_platform": dict(stance="skeptic", start="neutral",
                        notes="Follows Marcus on tooling; Jira sync or nothing"),
    "head_of_product": dict(stance="supporter", start="neutral",
                            notes="Wants roadmaps linked to the delivery work underneath"),
    "eng_program_manager": dict(name="Fatima Haddad", stance="supporter", start="neutral", influence=3,
                                interest=5, tenure=4,
                                notes="Coordinates releases across Engineering, Operations and IT; wants "
                                      "cross-team dependencies visible"),
}

#: Sought-out experts: extra weight as an adviser, and departments (besides
#: their own) whose people come to them for advice.
EXPERTS: dict[str, tuple[float, tuple[str, ...]]] = {
    "architect": (14, ("Engineering",)),
    "senior_accountant": (14, ("Operations", "Sales")),
    "principal_engineer": (18, ()),
    "shift_veteran": (16, ()),
    "top_rep": (14, ()),
    "pmo_head": (8, ("Engineering", "IT", "Marketing")),
    "finance_analyst": (6, ("Operations", "IT")),
}


# --------------------------------------------------------------------------
# Names and free text
# --------------------------------------------------------------------------

FIRST_NAMES = (
    "Adam Aaron Abigail Adele Ahmed Alan Alex Alice Alison Amelia Amir Andrew Angela Anil Anna Anthony Arjun "
    "Ben Beth Bilal Bradley Caitlin Callum Carl Caroline Charlotte Chris Claire Connor Craig Dan Darren David "
    "Deborah Declan Dylan Eleanor Elena Eliza Emily Emma Erik Ethan Fiona Florian Freya Gareth Gemma Georgia "
    "Grace Hamza Hannah Harriet Harry Hassan Helena Ian Imran Isabel Jack James Jamie Jasmine Jess Joanna Joel "
    "Jonathan Joseph Julia Karen Kate Katie Kieran Laura Lauren Leon Liam Lily Lucy Maya Megan Michael Mohammed "
    "Natalie Neil Niamh Nicola Oscar Owen Paul Peter Phoebe Rebecca Rhys Richard Robert Rosa Ruth Ryan Sam Sara "
    "Scott Sean Simon Sophie Stuart Tariq Thomas Tom Victoria Will Yusuf Zainab Zara "
    "Zoë Léa José Inês Björn Joël Agnieszka Dmitri Sanne Pieter Maarten Femke Anouk Ravi Deepa Mei Hiroshi Kofi"
).split()

LAST_NAMES = (
    "Ahmed Akhtar Allen Anderson Atkinson Bailey Baker Barker Barnes Begum Bell Bennett Bird Booth Bradley "
    "Brooks Brown Butler Campbell Carter Chapman Chen Clarke Cole Collins Cook Cooper Cox Davies Dawson Dixon "
    "Doherty Edwards Ellis Evans Fisher Fletcher Foster Fox Gibson Gill Graham Gray Green Hall Harris Harrison "
    "Hayes Hill Holmes Hughes Hunt Hussain Jackson James Jenkins Johnson Jones Kaur Kelly Kennedy Khan King "
    "Knight Lee Lewis Lloyd Marshall Mason Matthews Miller Mitchell Moore Morgan Morris Murphy Murray Nash "
    "Owen Parker Patel Pearson Phillips Powell Price Reid Reynolds Richards Roberts Robinson Rogers Ross Russell "
    "Saunders Scott Shah Sharma Shaw Simpson Singh Smith Stevens Stewart Sutton Taylor Thomas Thompson Turner "
    "Walker Wallace Ward Watson Wells White Wilkinson Williams Wilson Wood Wright Young "
    "Müller García Núñez Kowalczyk Dvořák Janssen Bakker Lindqvist Moreau Rossi Nowak "
    "Okonkwo Mensah Nakamura Costa Ferreira"
).split() + ["O'Brien", "McAllister", "de Vries", "van Dijk"]

_TRANSLIT = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "æ": "ae", "ß": "ss", "đ": "d"})

#: Motivation notes for ordinary people, by department and stance group
#: ("neg" = resistant/skeptic, "mid" = neutral/unknown, "pos" = supporter/champion).
NOTES: dict[tuple[str, str], list[str]] = {
    ("Executive Office", "mid"): ["Keeps the CEO's diary; will use whatever the exec team settles on"],
    ("IT", "neg"): [
        "Another SaaS tool to patch, monitor and pay for; wants a decommission plan for the old ones",
        "Sceptical of the vendor's SSO support, after the last tool's outage",
    ],
    ("IT", "mid"): [
        "Will support it as long as it doesn't mean weekend cutovers",
        "Hasn't seen the tool yet; busy with the laptop refresh",
    ],
    ("IT", "pos"): [
        "Tired of tracking IT work in a shared mailbox",
        "Wants change requests, tickets and projects linked in one place",
        "Volunteered to write the how-to pages for the intranet",
        "Used a similar tool at a previous job and likes it",
        "Wants the infrastructure roadmap out of a slide deck",
    ],
    ("Finance", "neg"): [
        "Worried the tool adds reporting overhead before quarter close",
        "Asks who pays for the licences after year one",
        "Prefers the Excel budget tracker, which the auditors already know",
        "Doesn't want another place where approvals can happen",
        "Expects timesheet data to be unreliable, so cost reports will be too",
    ],
    ("Finance", "mid"): [
        "No strong view; wants a clear cut-over date for the old tracker",
        "Will go along with whatever the Finance Director decides",
    ],
    ("Finance", "pos"): [
        "Would like purchase requests tied to project budgets",
        "Hopes to stop re-keying project codes every month",
    ],
    ("Operations", "neg"): [
        "Another system on the shop floor; the team already juggles three",
        "Fears the tool becomes a way to micromanage shift teams",
        "Thinks the whiteboard works fine, and it never goes down",
        "Worried about typing updates on a phone with gloves on",
        "Remembers the last planning system, dropped after six months",
    ],
    ("Operations", "mid"): [
        "Depends on whether it works on the handheld scanners",
        "Waiting to see if the pilot is more than a pilot",
        "Neutral; mostly wants fewer status meetings",
        "Will use it if the supervisor does",
        "Asks whether agency staff get accounts too",
    ],
    ("Operations", "pos"): [
        "Wants to see supplier milestones next to internal tasks",
        "Happy to pilot, if the training fits around shifts",
        "Sick of chasing updates by email and phone",
        "Keen on the mobile app for field visits",
        "Would like the pilot in their team first",
        "Wants the weekly report to build itself",
    ],
    ("Sales", "neg"): [
        "Sees it as admin that takes time away from customers",
        "Worries deal timelines will be second-guessed in the tool",
        "Already updates the CRM, the forecast sheet and the bid tracker; one more is too many",
    ],
    ("Sales", "mid"): [
        "Only cares whether it links to the CRM",
        "Neutral; would use it for bid timelines at most",
        "Hasn't been asked yet",
        "Busy with quarter-end pipeline, will look in December",
        "Mostly on the road; reads the emails, rarely answers",
    ],
    ("Sales", "pos"): [
        "Wants implementation dates customers are promised to be visible to Sales",
        "Likes the idea of tracking bids like projects",
    ],
    ("Marketing", "neg"): ["Already uses a content calendar tool and does not want to move"],
    ("Marketing", "mid"): [
        "Will follow the Marketing Director's lead",
        "Interested in the templates, not the time tracking",
        "Works mostly with agencies; unsure they can get access",
    ],
    ("Marketing", "pos"): [
        "Wants launch checklists shared with Product and Sales",
        "Hopes to stop asking three teams for the same dates",
        "Likes the board view for the content pipeline",
    ],
    ("HR", "neg"): ["Concerned about what the tool records about individuals' workload"],
    ("HR", "mid"): [
        "Will need it for onboarding plans at most",
        "Wants to know how the training time will be booked",
    ],
    ("HR", "pos"): [
        "Sees a chance to track onboarding tasks properly",
        "Would use it for the annual review cycle, if allowed",
    ],
    ("Legal", "neg"): [
        "Wants to review the vendor's terms on data retention first",
        "Worried that contract details will end up in task comments",
        "Asks who owns the data if the company leaves the vendor",
    ],
    ("Legal", "mid"): ["No view yet; waiting for the General Counsel's review"],
    ("Engineering", "neg"): [
        "Already tracks everything in Jira; fears double entry",
        "Sees it as management reporting dressed up as tooling",
        "Worried estimates will turn into deadlines",
        "Would rather fix the Jira workflows than add a tool",
        "Agrees with Marcus: one tracker is enough",
        "Thinks the money should go on test rigs instead",
    ],
    ("Engineering", "mid"): [
        "Fine with it if the Jira sync works both ways",
        "Doesn't mind, as long as the stand-ups don't get longer",
        "Too busy with the firmware release to have a view",
        "Hardware work doesn't fit sprints; curious whether this fits better",
        "Will use it if the squad does",
    ],
    ("Engineering", "pos"): [
        "Wants cross-team dependencies visible before they cause slips",
        "Likes the roadmap view for stakeholder updates",
        "Keen to stop maintaining the release spreadsheet",
        "Wants hardware and firmware milestones in one plan",
        "Hopes it ends the weekly 'where are we' meeting",
    ],
}
GENERIC_NOTES = {
    "neg": ["Doubts the rollout will get enough training time", "Has seen two tools like this abandoned",
            "Worried about the time it takes to learn, during a busy quarter"],
    "mid": ["No strong view yet", "Prefers to wait and see how the pilot goes", "Not engaged so far",
            "Hasn't had time to look at it"],
    "pos": ["Likes having one place to see who is doing what", "Happy to be a pilot user",
            "Offered to help colleagues get started"],
}

#: What people asked or said at engagements, by department.
QUESTIONS: dict[str, list[str]] = {
    "Executive Office": ["asked for a one-page summary for the board"],
    "IT": ["asked about SSO and audit logs", "asked who supports it after go-live",
           "asked how tickets and projects link"],
    "Finance": ["asked about cost codes and budget fields", "asked who approves timesheets",
                "asked about licence costs after year one", "asked whether actuals come from the ERP"],
    "Operations": ["asked about shift handovers", "asked for a Gantt view of supplier deliveries",
                   "asked whether it works on the handheld scanners", "asked about escalation tracking"],
    "Sales": ["asked about the CRM link", "asked whether bids can be tracked as projects",
              "asked who will see deal dates"],
    "Marketing": ["asked about launch templates", "asked about the campaign calendar view"],
    "HR": ["asked how training time is booked", "asked what the tool records about individuals"],
    "Legal": ["asked about data residency", "asked for the sub-processor list", "asked about retention"],
    "Engineering": ["asked about two-way Jira sync", "asked whether estimates become deadlines",
                    "asked about the API, webhooks and exports", "asked about the roadmap view"],
}
WARMER = ["warmer after seeing the planning board", "liked the dashboards", "offered to test the templates",
          "came round once the integration was shown", "keen to join the pilot"]
COOLER = ["left unconvinced", "not convinced the workload estimate is right", "cooler after the cost discussion",
          "raised the same concern again", "wants to see the pilot results first"]


# --------------------------------------------------------------------------
# Building the people
# --------------------------------------------------------------------------

def _email(name: str, taken: set[str]) -> str:
    plain = unicodedata.normalize("NFKD", name.translate(_TRANSLIT))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    words = ["".join(c for c in w if c.isalnum() or c == "-") for w in plain.split()]
    first, last = words[0], "".join(words[1:])
    local, n = f"{first}.{last}", 1
    while local in taken:
        n += 1
        local = f"{first}.{last}{n}"
    taken.add(local)
    return f"{local}@example.com"


def _weighted(rng: random.Random, options, weights):
    return rng.choices(list(options), weights=list(weights), k=1)[0]


def _clamp(x: int, low: int = 1, high: int = 5) -> int:
    return max(low, min(high, x))


def _polarity(stance: str) -> str:
    if stance in ("resistant", "skeptic"):
        return "neg"
    if stance in ("supporter", "champion"):
        return "pos"
    return "mid"


def build_people(rng: random.Random) -> list[dict]:
    """Walk the org chart and make one record per person, in chart order."""
    people: list[dict] = []
    by_name_used = {c["name"] for c in CHARACTERS.values() if "name" in c}

    def visit(node: dict, dept: dict, parent: str | None, team: str) -> None:
        for _ in range(node["n"]):
            pid = f"E{len(people) + 1:03d}"
            own_team = node["team"] or team
            people.append({"id": pid, "department": dept["name"], "role": node["role"],
                           "seniority": node["seniority"], "key": node["key"], "parent": parent,
                           "team": own_team, "dept_spec": dept})
            for child in node["reports"]:
                visit(child, dept, pid, own_team)

    ceo_id = "E001"
    for dept in DEPARTMENTS:
        office = f"{dept['name']} leadership"
        parent = None if dept["head"]["key"] == "ceo" else ceo_id
        visit(dept["head"], dept, parent, office)
        for node in dept.get("outside_chart", ()):
            visit(node, dept, None, "(outside the chart)")

    # Names, emails, stances, scores, custom columns, notes.
    taken_emails: set[str] = set()
    for p in people:
        dept = p.pop("dept_spec")
        char = CHARACTERS.get(p["key"] or "", {})
        if "name" in char:
            p["name"] = char["name"]
        else:
            while True:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                if name not in by_name_used:
                    break
            by_name_used.add(name)
            p["name"] = name
        p["email"] = _email(p["name"], taken_emails)

        p["stance"] = char.get("stance")  # ordinary people get theirs below
        p["start"] = char.get("start", None)

        sen = p["seniority"]
        p["influence"] = char.get("influence") or _clamp(
            rng.choice({1: (1, 1, 1, 2), 2: (2, 2, 3), 3: (3, 3, 3, 4), 4: (4, 4, 5), 5: (5,)}[sen]))
        base = PM_HEAVY_TEAMS.get(p["team"], dept["interest"])
        p["interest"] = char.get("interest") or _clamp(base + (sen >= 3) + rng.choice((-1, 0, 0, 1)))

        team_loc = dept.get("team_locations", {}).get(p["team"])
        p["location"] = char.get("location") or team_loc or _weighted(
            rng, *zip(*dept["locations"]))
        lo, hi = {1: (0, 8), 2: (2, 12), 3: (3, 15), 4: (4, 18), 5: (6, 20)}[sen]
        p["tenure_years"] = char["tenure"] if "tenure" in char else rng.randint(lo, hi)

    # Stances of ordinary people: each department's mix in proportion to its
    # weights (largest remainder), shuffled over the department.
    for dept in DEPARTMENTS:
        ordinary = [p for p in people if p["department"] == dept["name"] and p["stance"] is None]
        for p, stance in zip(ordinary, _quota(rng, STANCE_WORDS + ("",), dept["stance"], len(ordinary))):
            p["stance"] = stance

    # Motivation notes: characters' own; about 60% of the others from the
    # department's pool for their stance, each line used at most twice.
    used: Counter = Counter()
    for p in people:
        char = CHARACTERS.get(p["key"] or "", {})
        if "notes" in char:
            p["notes"] = char["notes"]
            continue
        p["notes"] = ""
        if rng.random() < 0.6:
            pol = _polarity(p["stance"])
            pool = [n for n in NOTES.get((p["department"], pol), []) + GENERIC_NOTES[pol] if used[n] < 2]
            if pool:
                p["notes"] = rng.choice(pool)
                used[p["notes"]] += 1
    return people


def _quota(rng: random.Random, options: tuple, weights: tuple, n: int) -> list:
    """``n`` items whose counts follow ``weights`` (largest remainder), shuffled."""
    total = sum(weights)
    exact = [w * n / total for w in weights]
    counts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[:n - sum(counts)]:
        counts[i] += 1
    items = [o for o, c in zip(options, counts) for _ in range(c)]
    rng.shuffle(items)
    return items


# --------------------------------------------------------------------------
# Ties
# --------------------------------------------------------------------------

class Ties:
    """Collects ties, one per (source, target, kind); later additions are ignored."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, str], int] = {}

    def add(self, source: str, target: str, weight: int, kind: str) -> None:
        if source != target and (source, target, kind) not in self.rows:
            self.rows[(source, target, kind)] = _clamp(int(weight))

    def mutual(self, rng: random.Random, a: str, b: str, weight: int, kind: str,
               reciprocal: float = 0.75) -> None:
        self.add(a, b, weight, kind)
        if rng.random() < reciprocal:
            self.add(b, a, weight + rng.choice((-1, 0, 0, 1)), kind)

    def sorted_rows(self) -> list[list[str]]:
        order = {k: i for i, k in enumerate(KIND_ORDER)}
        keys = sorted(self.rows, key=lambda k: (order[k[2]], k[0], k[1]))
        return [[s, t, str(self.rows[(s, t, k)]), k] for s, t, k in keys]


def build_ties(rng: random.Random, people: list[dict]) -> Ties:
    ties = Ties()
    key = {p["key"]: p for p in people if p["key"]}
    kid = {k: p["id"] for k, p in key.items()}
    loners = {kid["contractor"], kid["new_starter"]}
    active = [p for p in people if p["id"] not in loners]
    by_team: dict[str, list[dict]] = {}
    by_dept: dict[str, list[dict]] = {}
    for p in active:
        by_team.setdefault(p["team"], []).append(p)
        by_dept.setdefault(p["department"], []).append(p)
    heads = [p for p in people if p["parent"] == kid["ceo"] and p["seniority"] >= 4]
    dept_heads = [p for p in heads if p["key"] != "chief_of_staff"]

    # 1. The org chart: manager -> report.
    for p in people:
        if p["parent"]:
            ties.add(p["parent"], p["id"], 3, "reports_to")

    # 2. Collaboration inside teams, between a department's managers, and in the exec team.
    for team in sorted(by_team):
        members = by_team[team]
        p_pair = min(0.8, 3.5 / max(1, len(members) - 1))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if rng.random() < p_pair:
                    ties.mutual(rng, a["id"], b["id"], rng.choice((2, 3, 3, 4, 4, 5)), "collaboration")
    for dept in sorted(by_dept):
        leads = [p for p in by_dept[dept] if p["seniority"] >= 3]
        for i, a in enumerate(leads):
            for b in leads[i + 1:]:
                if rng.random() < 0.55:
                    ties.mutual(rng, a["id"], b["id"], rng.choice((2, 3, 3, 4)), "collaboration")
    exec_team = [key["ceo"]] + heads
    for i, a in enumerate(exec_team):
        for b in exec_team[i + 1:]:
            if a["key"] == "ceo" or b["key"] == "chief_of_staff" or rng.random() < 0.45:
                ties.mutual(rng, a["id"], b["id"], rng.choice((2, 3, 3, 4)), "collaboration", 0.85)

    # 3. Cross-department work flows between teams.
    team_links = [
        ("Product Management", "Product Marketing", 4), ("Enterprise Sales", "Solutions Consulting", 4),
        ("Mid-Market Sales", "Solutions Consulting", 3), ("Sales Operations", "FP&A", 3),
        ("Sales Operations", "Digital", 2), ("Procurement", "Supply Chain", 4),
        ("Customer Support", "Applications", 3), ("Customer Support", "Product Management", 2),
        ("Field Service", "Firmware", 2), ("Quality", "Hardware", 3), ("Supply Chain", "Hardware", 2),
        ("Commercial Legal", "Enterprise Sales", 3), ("Commercial Legal", "Procurement", 2),
        ("Privacy & Compliance", "Infrastructure & Security", 2), ("Business Applications", "Accounting", 3),
        ("Business Applications", "Supply Chain", 2), ("Data", "FP&A", 2), ("Service Desk", "Customer Support", 2),
        ("Learning & Development", "Service Desk", 2), ("Events", "Enterprise Sales", 2),
        ("Platform", "Infrastructure & Security", 3), ("HR Operations", "Accounting", 2),
        ("Brand & Content", "Product Management", 1), ("Talent Acquisition", "Platform", 1),
        ("Partner Channel", "Product Marketing", 2), ("Delivery", "Supply Chain", 2),
    ]
    for team_a, team_b, n in team_links:
        for _ in range(n):
            a, b = rng.choice(by_team[team_a]), rng.choice(by_team[team_b])
            ties.mutual(rng, a["id"], b["id"], rng.choice((1, 2, 2, 3, 4)), "collaboration", 0.8)

    # 4. Boundary spanners: explicit cross-department ties.
    def collab(k: str, others: list[str], weights=(3, 3, 4, 4, 5)) -> None:
        for o in others:
            ties.mutual(rng, kid[k], kid[o], rng.choice(weights), "collaboration", 0.9)

    def advises(k: str, others: list[str], weights=(3, 4, 4, 5)) -> None:
        for o in others:
            ties.add(kid[k], kid[o], rng.choice(weights), "advice")

    collab("finance_analyst", ["coo", "ops_analyst", "supply_chain_manager", "warehouse_manager", "pmo_head",
                               "field_service_manager", "it_director", "apps_manager", "infra_manager",
                               "rollout_lead", "service_desk_manager"])
    advises("finance_analyst", ["supply_chain_manager", "warehouse_manager", "field_service_manager",
                                "apps_manager", "infra_manager", "ops_analyst"])
    collab("pmo_head", [p["key"] for p in dept_heads if p["key"] not in ("coo", "general_counsel")]
           + ["eng_program_manager", "head_of_product", "rollout_lead", "sales_ops_manager", "pmm"])
    advises("pmo_head", ["eng_program_manager", "head_of_product", "supply_chain_manager", "pmm",
                         "service_desk_manager", "apps_manager", "coo"])
    hrbp_clients = [p["id"] for p in active if p["department"] in ("Operations", "Engineering", "IT")
                    and p["seniority"] >= 3]
    for target in hrbp_clients:
        ties.add(kid["hrbp"], target, rng.choice((2, 3, 3, 4)), "advice")
    collab("hrbp", ["coo", "vp_engineering", "it_director", "ld_manager"])
    collab("rollout_lead", ["pmo_head", "eng_program_manager", "ld_manager", "architect", "support_manager",
                            "sales_ops_analyst", "service_desk_lead", "supply_chain_manager"], (3, 4, 4, 5))
    collab("eng_program_manager", ["supply_chain_manager", "quality_manager", "apps_manager", "field_service_manager"])
    collab("sales_ops_analyst", ["fpa_manager", "finance_analyst", "pmm", "enterprise_manager"], (2, 3, 3, 4))
    collab("chief_of_staff", [p["key"] for p in dept_heads], (2, 3, 3, 4))
    collab("senior_accountant", ["procurement_manager", "ops_analyst"], (2, 3, 3))

    # 5. Who can move whom at the top, and the skeptic bloc.
    for source, target, weight in [
        ("finance_director", "ceo", 5), ("coo", "ceo", 4), ("it_director", "ceo", 3),
        ("general_counsel", "finance_director", 4), ("finance_director", "general_counsel", 3),
        ("finance_director", "hr_director", 3), ("finance_director", "vp_sales", 3),
        ("senior_accountant", "finance_director", 4), ("principal_engineer", "vp_engineering", 5),
        ("principal_engineer", "em_platform", 5), ("top_rep", "vp_sales", 4), ("pmo_head", "coo", 4),
        ("architect", "it_director", 4), ("shift_veteran", "warehouse_manager", 4),
        ("dpo", "general_counsel", 4), ("rollout_lead", "it_director", 4), ("vp_engineering", "ceo", 3),
    ]:
        ties.add(kid[source], kid[target], weight, "advice")

    # 6. Advice: each person names a few advisers, mostly in their department,
    # preferring seniority and, strongly, the sought-out experts.
    experts = {kid[k]: v for k, v in EXPERTS.items()}
    for seeker in active:
        if seeker["parent"] is None:
            continue  # the CEO's advisers are set above
        if seeker["seniority"] >= 4:
            pool = [p for p in exec_team if p["id"] != seeker["id"]]
        else:
            pool = [p for p in by_dept[seeker["department"]] if p["id"] != seeker["id"]]
            pool += [p for p in active if p["id"] in experts and seeker["department"] in experts[p["id"]][1]]
        weights = []
        for p in pool:
            w = {1: 1.0, 2: 2.5, 3: 3.0, 4: 2.0, 5: 2.0}[p["seniority"]]
            if p["id"] in experts:
                boost, _ = experts[p["id"]]
                w += boost if p["department"] == seeker["department"] else boost / 2
            if p["team"] == seeker["team"]:
                w *= 1.6
            weights.append(w)
        k = min(len(pool), rng.choice((1, 2, 2, 3, 3, 4)))
        chosen: list[dict] = []
        while len(chosen) < k:
            pick = rng.choices(pool, weights=weights, k=1)[0]
            if pick not in chosen:
                chosen.append(pick)
        for adviser in chosen:
            strong = adviser["id"] in experts
            ties.add(adviser["id"], seeker["id"], rng.choice((3, 4, 4, 5) if strong else (1, 2, 3, 3, 4)),
                     "advice")

    # 7. A few friendships (mutual), some across departments.
    for a, b in [("finance_director", "general_counsel"), ("principal_engineer", "architect"),
                 ("rollout_lead", "pmo_head"), ("shift_veteran", "support_manager"), ("hrbp", "ld_manager"),
                 ("top_rep", "enterprise_manager")]:
        ties.mutual(rng, kid[a], kid[b], 3, "friendship", 1.0)
    pairs = 0
    while pairs < 22:
        a, b = rng.choice(active), rng.choice(active)
        if a is b or (a["id"], b["id"], "friendship") in ties.rows:
            continue
        if a["location"] != b["location"] and rng.random() < 0.7:
            continue
        ties.mutual(rng, a["id"], b["id"], rng.choice((2, 2, 3, 4)), "friendship", 0.9)
        pairs += 1
    return ties


# --------------------------------------------------------------------------
# Engagements: one quarter of the rollout plan
# --------------------------------------------------------------------------

def _d(month: int, day: int) -> dt.date:
    date = dt.date(2026, month, day)
    assert date.weekday() < 5 and QUARTER_START <= date <= QUARTER_END, date
    return date


#: Probability that an activity records an observed stance.
RECORD_PROBABILITY = {"email": 0.1, "lunch": 0.5, "demo": 0.6, "meeting": 0.7, "workshop": 0.7, "1:1": 0.9}

#: Notes for the one-to-ones with characters (key -> note).
ONE_TO_ONES: list[tuple[str, dt.date, str, str]] = [
    ("coo", _d(8, 26), "1:1", "Priya and Tomás: COO offered Operations as the pilot; wants weekly status "
                             "without chasing"),
    ("pmo_head", _d(8, 27), "1:1", "Tomás: reviewed how PMO reporting works today (status by email every Friday)"),
    ("finance_director", _d(8, 28), "1:1", 'Priya: asked for a three-year cost case, licences, integration '
                                           'and training; "no new tools before quarter close"'),
    ("vp_engineering", _d(9, 1), "1:1", "Priya: will not force engineers off Jira; open if the sync works"),
    ("general_counsel", _d(9, 2), "1:1", "Priya: raised data residency and retention; wants the DPA and "
                                         "sub-processor list"),
    ("vp_sales", _d(9, 3), "1:1", "Tomás: fine if sellers never log time"),
    ("hr_director", _d(9, 4), "1:1", "Priya: remembers the HR system overrun; wants L&D to own training"),
    ("marketing_director", _d(9, 7), "1:1", "Tomás: interested in launch calendars"),
    ("ceo", _d(9, 9), "meeting", "Sponsor check-in with Priya: backs the pilot, will not overrule Finance "
                                 "on cost"),
    ("finance_director", _d(10, 15), "1:1", "Priya and Amara presented the cost case; accepts the numbers, "
                                            "still wants to wait until after quarter close"),
    ("principal_engineer", _d(10, 16), "lunch", "Lunch with Tomás: two-way Jira sync is the deal breaker"),
    ("hr_director", _d(10, 19), "1:1", "Priya and Nadia: a training plan owned by L&D reassured him"),
    ("finance_analyst", _d(10, 21), "1:1", "Tomás: offered to build the project cost dashboard for the pilot"),
    ("senior_accountant", _d(10, 23), "1:1", "Amara: walked through the cost-code mapping; still distrusts "
                                             "timesheets"),
    ("coo", _d(10, 26), "1:1", "Pilot scope agreed: PMO, Supply Chain and Customer Support"),
    ("vp_sales", _d(10, 28), "1:1", "Tomás: no time logging for sellers confirmed; stays neutral"),
    ("top_rep", _d(10, 29), "lunch", "Lunch with Tomás: would try it for bid timelines, not deals"),
    ("ceo", _d(10, 30), "meeting", "Sponsor check-in: asked Priya to settle Legal's objections first"),
    ("vp_engineering", _d(11, 4), "1:1", "Agreed an Engineering pilot with one squad, Jira sync on"),
    ("em_platform", _d(11, 6), "1:1", "Tomás and Wei: showed the Jira sync prototype; waits for Marcus's view"),
    ("principal_engineer", _d(11, 9), "1:1", "Wei and Tomás: sync prototype drops sub-tasks; still opposed"),
    ("general_counsel", _d(11, 10), "1:1", "Vendor rejected the DPA redlines; will block signature"),
    ("hrbp", _d(11, 12), "lunch", "Lunch with Tomás: managers in Operations like the pilot so far"),
]


def _stance_path(start: str, current: str, n: int) -> list[str]:
    """``n`` observed stances going evenly from ``start`` (first) to ``current`` (last)."""
    if n == 0:
        return []
    if n == 1:
        return [current]
    a, b = STANCE_VALUE[start], STANCE_VALUE[current]
    return [STANCE_WORDS[a + math.floor((b - a) * i / (n - 1) + 0.5) + 2] for i in range(n)]


def build_engagements(rng: random.Random, people: list[dict]) -> list[list[str]]:
    key = {p["key"]: p for p in people if p["key"]}
    known = [p for p in people if p["stance"] and p["key"] not in ("contractor", "new_starter")]
    slots: dict[str, list[tuple[dt.date, int, str, str]]] = {}  # id -> (date, order, activity, note)
    busy: set[tuple[str, dt.date]] = set()
    order = [0]

    def book(p: dict, date: dt.date, activity: str, note: str) -> bool:
        if (p["id"], date) in busy:
            return False
        busy.add((p["id"], date))
        order[0] += 1
        slots.setdefault(p["id"], []).append((date, order[0], activity, note))
        return True

    def pick(candidates: list[dict], n: int, must: tuple[str, ...] = ()) -> list[dict]:
        chosen = [key[k] for k in must]
        rest = [p for p in candidates if p not in chosen]
        rng.shuffle(rest)
        return chosen + rest[:max(0, n - len(chosen))]

    def where(dept: str | None = None, teams: tuple[str, ...] = (), min_sen: int = 1,
              roles: tuple[str, ...] = ()) -> list[dict]:
        return [p for p in known if (dept is None or p["department"] == dept)
                and (not teams or p["team"] in teams) and p["seniority"] >= min_sen
                and (not roles or p["role"] in roles)]

    # Kick-off email to the exec team.
    for p in [key["ceo"], key["chief_of_staff"]] + [
            p for p in people if p["seniority"] >= 4 and p["parent"] == key["ceo"]["id"]
            and p["key"] not in ("it_director", "chief_of_staff")]:
        book(p, _d(8, 24), "email", "Kick-off note from Priya: why IT is replacing status spreadsheets "
                                    "with one project tool; asked for 30 minutes each")

    # Department demos, then pilot design workshops, training and reviews.
    events = [
        (_d(9, 8), "demo", "Operations demo (Tomás, Priya): planning board, supplier milestones, mobile "
                           "task list",
         pick(where("Operations", teams=("PMO", "Supply Chain", "Warehouse & Distribution", "Quality",
                                          "Customer Support", "Field Service"), min_sen=2), 11,
              ("pmo_head", "supply_chain_manager", "warehouse_manager", "shift_veteran", "support_manager"))),
        (_d(9, 10), "demo", "Engineering demo (Tomás, Wei): roadmap view, Jira sync, dependencies",
         pick(where("Engineering", min_sen=2), 11,
              ("principal_engineer", "em_platform", "head_of_product", "eng_program_manager", "tech_lead"))),
        (_d(9, 15), "demo", "Finance demo (Tomás): budgets, actuals, approval flow",
         pick(where("Finance", min_sen=2), 6, ("fpa_manager", "controller", "senior_accountant"))
         + [key["finance_analyst"]]),
        (_d(9, 17), "demo", "Sales demo (Tomás): bid timelines and customer implementation plans",
         pick(where("Sales", min_sen=1), 6, ("sales_ops_manager", "sales_ops_analyst", "top_rep",
                                             "enterprise_manager"))),
        (_d(9, 22), "demo", "Marketing demo (Tomás): launch calendar and campaign templates",
         pick(where("Marketing", min_sen=1), 5, ("pmm",))),
        (_d(9, 24), "demo", "HR demo (Tomás, Nadia): onboarding plans and training tracks",
         pick(where("HR", min_sen=2), 4, ("hrbp", "ld_manager"))),
        (_d(9, 29), "meeting", "Data protection review with Priya: hosting region, sub-processors, retention",
         pick(where("Legal", min_sen=1), 4, ("general_counsel", "dpo", "senior_counsel"))),
        (_d(9, 30), "demo", "Admin walkthrough for IT support and applications teams",
         pick(where("IT", teams=("Service Desk", "Business Applications", "Infrastructure & Security")), 7,
              ("service_desk_manager", "service_desk_lead", "apps_manager", "architect"))),
        (_d(10, 6), "workshop", "Operations pilot design 1: workflows, fields, who updates what",
         pick(where("Operations", teams=("PMO", "Supply Chain", "Customer Support", "Warehouse & Distribution"),
                    min_sen=2), 9, ("pmo_head", "supply_chain_manager", "shift_veteran", "support_manager"))
         + [key["finance_analyst"]]),
        (_d(10, 8), "workshop", "Engineering pilot design 1: Jira sync rules, release milestones",
         pick(where("Engineering", teams=("Delivery", "Product Management", "Platform", "Applications"),
                    min_sen=2), 8, ("eng_program_manager", "head_of_product", "principal_engineer", "tech_lead"))),
        (_d(10, 13), "workshop", "Finance workshop: cost codes, budget fields and approval flow",
         pick(where("Finance", teams=("FP&A", "Accounting")), 5, ("fpa_manager", "finance_analyst", "controller"))
         + [key["sales_ops_analyst"]]),
        (_d(10, 20), "workshop", "Operations pilot design 2: dashboards and the weekly status report",
         pick(where("Operations", teams=("PMO", "Supply Chain", "Customer Support"), min_sen=1), 8,
              ("pmo_head", "supply_chain_manager", "support_manager"))),
        (_d(10, 22), "workshop", "Engineering pilot design 2: dependency map across squads",
         pick(where("Engineering", teams=("Delivery", "Product Management", "Applications", "Firmware")), 7,
              ("eng_program_manager", "head_of_product"))),
        (_d(10, 27), "meeting", "Vendor DPA redlines reviewed with the vendor's counsel",
         [key["general_counsel"], key["dpo"]]),
        (_d(11, 3), "workshop", "Pilot user training for Operations (Nadia and the service desk)",
         pick(where("Operations", teams=("PMO", "Supply Chain", "Customer Support"), min_sen=1), 12, ())),
        (_d(11, 5), "workshop", "Pilot user training for the Engineering squad",
         pick(where("Engineering", teams=("Applications", "Delivery", "Product Management")), 10, ())),
        (_d(11, 18), "meeting", "Steering meeting: pilot results, cost case and the Legal position",
         [key[k] for k in ("ceo", "coo", "finance_director", "general_counsel", "vp_sales", "vp_engineering",
                           "hr_director", "marketing_director", "pmo_head", "chief_of_staff")]),
    ]
    for date, activity, note, attendees in events:
        for p in attendees:
            book(p, date, activity, note)
    for k, date, activity, note in ONE_TO_ONES:
        book(key[k], date, activity, note)

    # Follow-ups with some demo and workshop attendees, and emails.
    weekdays = [QUARTER_START + dt.timedelta(days=i) for i in range((QUARTER_END - QUARTER_START).days + 1)]
    weekdays = [d for d in weekdays if d.weekday() < 5]
    by_id = {p["id"]: p for p in people}
    attended = sorted(slots)
    followups = 0
    while followups < 14:
        p = by_id[rng.choice(attended)]
        first = min(s[0] for s in slots[p["id"]])
        later = [d for d in weekdays if d > first and d >= _d(9, 14)]
        activity = rng.choice(("1:1", "1:1", "lunch", "meeting"))
        what = {"1:1": "Follow-up 1:1 with Tomás", "lunch": "Lunch with Tomás",
                "meeting": "Team meeting, 15 minutes on the pilot"}[activity]
        if later and book(p, rng.choice(later), activity, what):
            followups += 1
    emails = 0
    unknown = [p for p in people if not p["stance"] and p["key"] not in ("contractor", "new_starter")]
    while emails < 36:
        if rng.random() < 0.3:
            p = rng.choice(unknown)
            note = "Sent the demo recording and FAQ; no reply yet"
        else:
            p = by_id[rng.choice(attended)]
            note = rng.choice(("Sent the demo recording and FAQ", "Answered questions by email",
                               "Shared the pilot timeline", "Sent the cost-case summary"))
        if book(p, rng.choice([d for d in weekdays if d >= _d(9, 9)]), "email", note):
            emails += 1

    # Stance after each touchpoint: a path from the start stance to the current one.
    rows: list[tuple[dt.date, int, str, str, str, str]] = []
    for p in people:
        if p["id"] not in slots:
            continue
        mine = sorted(slots[p["id"]])
        current = p["stance"]
        is_char = p["key"] in CHARACTERS
        if not current:
            record = [False] * len(mine)
        else:
            # Characters' stances are noted at every conversation, never from an email.
            record = [(a != "email") if is_char else rng.random() < RECORD_PROBABILITY[a]
                      for _, _, a, _ in mine]
        if p["start"] is not None:
            start = p["start"]
        elif current:
            cur = STANCE_VALUE[current]
            shift = rng.choice((0, 0, 1, 1, 2) if cur > 0 else (0, 0, 1, -1) if cur == 0 else (0, 0, -1, -1, 1))
            start = STANCE_WORDS[max(-2, min(2, cur - shift)) + 2]
        else:
            start = ""
        path = _stance_path(start, current, sum(record))
        if start and current and start != current and any(record):
            # Their stance moved during the quarter and was observed: the baseline records
            # where it began, so the stance history has their earlier stance (no random
            # draw: the rest of the file is the same as without it).
            rows.append((BASELINE_DATE, 0, p["id"], "assessment", start, BASELINE_NOTE))
        previous = start
        for (date, seq, activity, note), rec in zip(mine, record):
            stance_after = ""
            if rec:
                stance_after = path.pop(0)
            if activity in ("demo", "workshop", "meeting", "email") and p["key"] not in (
                    "contractor", "new_starter") and not (is_char and activity == "email"):
                if stance_after and previous and STANCE_VALUE[stance_after] > STANCE_VALUE[previous]:
                    extra = rng.choice(WARMER)
                elif stance_after and previous and STANCE_VALUE[stance_after] < STANCE_VALUE[previous]:
                    extra = rng.choice(COOLER)
                elif activity != "email" and rng.random() < 0.55:
                    extra = rng.choice(QUESTIONS[p["department"]])
                else:
                    extra = ""
                if extra:
                    note = f"{note}; {extra}"
            if stance_after:
                previous = stance_after
            rows.append((date, seq, p["id"], activity, stance_after, note))
    rows.sort()
    return [[d.isoformat(), pid, activity, stance, note] for d, _, pid, activity, stance, note in rows]


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

def generate(seed: int = DEFAULT_SEED) -> dict[str, list[list[str]]]:
    """The three files as lists of rows (header first), for a seed."""
    rng = random.Random(seed)
    people = build_people(rng)
    ties = build_ties(rng, people)
    engagements = build_engagements(rng, people)
    people_rows = [[str(p[c]) for c in PEOPLE_COLUMNS] for p in people]
    return {
        "stakeholders.csv": [PEOPLE_COLUMNS] + people_rows,
        "influences.csv": [TIE_COLUMNS] + ties.sorted_rows(),
        "engagements.csv": [ENGAGEMENT_COLUMNS] + engagements,
    }


def write(out_dir: Path, seed: int = DEFAULT_SEED) -> dict[str, list[list[str]]]:
    files = generate(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        with open(out_dir / name, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    return files


def summary(files: dict[str, list[list[str]]]) -> str:
    people = files["stakeholders.csv"][1:]
    ties = files["influences.csv"][1:]
    engagements = files["engagements.csv"][1:]
    depts = Counter(r[2] for r in people)
    kinds = Counter(r[3] for r in ties)
    stances = Counter(r[5] or "unknown" for r in people)
    lines = [f"{len(people)} people in {len(depts)} departments: "
             + ", ".join(f"{d} {n}" for d, n in depts.items()),
             f"{len(ties)} ties: " + ", ".join(f"{k} {kinds[k]}" for k in KIND_ORDER),
             "stances: " + ", ".join(f"{s} {stances[s]}" for s in STANCE_WORDS + ("unknown",)),
             f"{len(engagements)} engagements with {len({r[1] for r in engagements})} people, "
             f"{engagements[0][0]} to {engagements[-1][0]}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--out", type=Path, default=HERE, help="output directory (default: next to this script)")
    args = parser.parse_args(argv)
    files = write(args.out, args.seed)
    print(summary(files))
    print(f"wrote {', '.join(files)} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
