"""Network analysis of a stakeholder map: metrics, departments, champions, pilots, simulation."""
