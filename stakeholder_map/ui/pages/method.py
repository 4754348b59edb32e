"""Method page: the model, the metrics and the references, in plain words."""

from __future__ import annotations

import streamlit as st

from stakeholder_map.ui import state
from stakeholder_map.workspace import SEED


def _receptiveness() -> dict | None:
    try:
        from stakeholder_map.analysis.diffusion import RECEPTIVENESS
    except ImportError:
        return None
    return {"stance": list(RECEPTIVENESS), "receptiveness": [float(v) for v in RECEPTIVENESS.values()]}


def main() -> None:
    st.title("Method", anchor=False)
    st.markdown(
        """
Stakeholder Map treats an organisation as a network: each person is a node, and an
arrow from A to B means **A can move B's opinion** (B asks A for advice, A manages B,
they work or talk together). Ties of several kinds between the same two people add up
to one arrow whose weight is the sum of their weights.
"""
    )

    st.header("How an idea spreads", anchor=False)
    st.markdown(
        """
Every "spread" figure in the app (champions, pilots, simulations) comes from one model,
the **independent cascade** (Kempe, Kleinberg and Tardos, 2003):

1. The people you start with (the *seeds*, e.g. your champions) adopt the change.
2. Each person who has just adopted gets **one chance** to convince each person they
   influence. The tie from A to B succeeds with a probability *p(A, B)*.
3. Whoever is convinced tries in turn, in the next step. It stops when nobody new adopts.

Because every try is a coin toss, the app plays the cascade many times and reports the
average number of adopters, seeds included (the **expected spread**), with a confidence
interval.

**The tie probability.** By default *p(A, B)* is the **weighted cascade** share
*w(A, B) / Σ w(X, B)*: A's weight among everyone who influences B, so a person with many
influencers is harder to move through any single one of them (Chen, Wang and Yang, 2009).
It is then multiplied by B's **receptiveness**, a factor from B's stance: a resistant person
is hard to move, a supporter easy. For comparison with the research literature the app can
also use the plain weighted cascade (no stances), an independent cascade with one constant
probability *p* on every tie, or the **linear threshold** model, where B adopts once the
weight of B's adopting influencers passes a random threshold.
"""
    )
    factors = _receptiveness()
    if factors is not None:
        st.markdown("Receptiveness by stance (the default; every analysis lets you change it):")
        st.table(factors, border="horizontal", hide_index=True)

    st.header("Choosing champions", anchor=False)
    st.markdown(
        """
Picking the *k* people who together reach the most others is hard to solve exactly, but a
**greedy** choice (each time, add whoever adds the most spread) is provably close: it reaches
at least **(1 − 1/e − ε) ≈ 53 %** (ε = 0.1) of the best possible spread (Kempe et al., 2003). To do this
fast on large organisations the app uses **reverse influence sampling**: it draws many random
"who could have convinced this person" sets, and a champion set is good when it hits many of
them (Borgs, Brautbar, Chayes and Lucier, 2014). The number of samples is chosen as in
**IMM** (Tang, Shi and Xiao, 2015) and checked afterwards as in **OPIM-C** (Tang, Tang, Xiao
and Yuan, 2018), so the app can state the guarantee it actually reached (the *certified
ratio*). The guarantee is a floor, not a target: on some networks a plain rule (top PageRank
on the reversed graph, degree discount, the most ties) picks a better group than a greedy
pick from a finite sample. So the greedy group then competes with those candidates on
simulated cascades that none of them was built from, and the best one is kept ("Picked by"
in the Advanced section); its expected spread and certified ratio are measured on a further
set of samples that took no part in choosing it. The same seed gives the same champions,
and the app compares them with two simple baselines: the most senior/formally powerful
people and the best-connected people.
"""
    )

    st.header("Network measures", anchor=False)
    st.markdown(
        """
- **PageRank**: recursive influence: you score high when you can move people who themselves
  score high, so being the advisor of advisors counts more than advising many isolated people
  (Brin and Page, 1998).
- **Betweenness**: how often someone sits on the shortest path between two others; high
  betweenness people are bridges through which news travels (Freeman, 1977; computed with
  Brandes' algorithm, 2001).
- **Burt's constraint** and **effective size**: low constraint means your contacts do not
  know each other, so you span *structural holes* and broker between groups (Burt, 1992).
  **Brokers** are people with low constraint who link departments.
- **k-core**: the largest *k* such that you belong to a group where everyone has at least
  *k* ties inside it; high-core people sit in the dense heart of the network (Seidman, 1983).
- **Communities (Louvain)**: groups of people more tied to each other than to the rest,
  found by maximising modularity (Blondel et al., 2008). Comparing them with the formal
  departments shows where the real working groups cross the org chart.
- **Blockers** are resistant or skeptical people with high influence on others.
"""
    )

    st.header("Power / interest grid", anchor=False)
    st.markdown(
        """
The **influence** (formal power over the decision) and **interest** (how much the change
touches them) columns place each person in one of four quadrants (Mendelow, 1991;
Eden and Ackermann, 1998):

| | low interest | high interest |
|---|---|---|
| **high power** | keep satisfied | manage closely |
| **low power** | monitor | keep informed |

People without both an influence and an interest score are *unscored*: they are not
placed on the grid, and no advice is drawn for them (a missing score is unknown, not
average).
"""
    )

    st.header("References", anchor=False)
    st.markdown(
        """
- Blondel, V. D., Guillaume, J.-L., Lambiotte, R., Lefebvre, E. (2008). Fast unfolding of
  communities in large networks. *J. Stat. Mech.* P10008.
- Borgs, C., Brautbar, M., Chayes, J., Lucier, B. (2014). Maximizing social influence in
  nearly optimal time. *SODA 2014*.
- Brandes, U. (2001). A faster algorithm for betweenness centrality. *J. Math. Sociology* 25(2).
- Brin, S., Page, L. (1998). The anatomy of a large-scale hypertextual web search engine.
  *WWW 1998*.
- Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition.* Harvard UP.
- Chen, W., Wang, Y., Yang, S. (2009). Efficient influence maximization in social networks.
  *KDD 2009*.
- Eden, C., Ackermann, F. (1998). *Making Strategy.* Sage.
- Freeman, L. C. (1977). A set of measures of centrality based on betweenness. *Sociometry* 40(1).
- Kempe, D., Kleinberg, J., Tardos, É. (2003). Maximizing the spread of influence through a
  social network. *KDD 2003*.
- Mendelow, A. (1991). Stakeholder mapping. *Proc. 2nd Int. Conf. on Information Systems*.
- Seidman, S. B. (1983). Network structure and minimum degree. *Social Networks* 5(3).
- Tang, Y., Shi, Y., Xiao, X. (2015). Influence maximization in near-linear time: a martingale
  approach. *SIGMOD 2015* (IMM).
- Tang, J., Tang, X., Xiao, X., Yuan, J. (2018). Online processing algorithms for influence
  maximization. *SIGMOD 2018* (OPIM-C).
"""
    )
    st.caption(f"Every random analysis in the dashboard uses seed {SEED}; the CLI takes the same --seed.")


if __name__ == "__main__":  # Streamlit runs pages as __main__; importing one (doctests) does nothing
    with state.errors_shown():
        main()
