"""Explore-page cross-filter rules (ui/crossfilter.py), without a browser."""

from ui.crossfilter import (
    apply_selection,
    chart_key,
    clear_filters,
    filter_key,
    scope_of,
    selected_value,
)


def _event(*values):
    return {"selection": {"points": [{"x": 3, "y": "label", "customdata": [v]} for v in values]}}


def test_scope_of_keeps_chosen_filters_and_skips_one_dimension():
    filters = {"agency_id": "dinas-pu", "category": "", "district": "Tugu", "channel": None}
    assert scope_of(filters) == {"agency_id": "dinas-pu", "district": "Tugu"}
    assert scope_of(filters, skip="district") == {"agency_id": "dinas-pu"}
    assert scope_of({"category": ""}) is None


def test_selected_value_reads_customdata_of_the_first_point():
    assert selected_value(_event("dinas-pu", "other")) == "dinas-pu"
    assert selected_value({"selection": {"points": []}}) is None
    assert selected_value(None) is None


def test_click_sets_the_filter_and_a_second_click_clears_it():
    state = {chart_key("district"): _event("Tugu"), filter_key("district"): ""}
    apply_selection(state, "district")
    assert state[filter_key("district")] == "Tugu"
    apply_selection(state, "district")
    assert state[filter_key("district")] == ""
    state[chart_key("district")] = {"selection": {"points": []}}
    state[filter_key("district")] = "Mijen"
    apply_selection(state, "district")  # an empty selection leaves the filter alone
    assert state[filter_key("district")] == "Mijen"


def test_clear_filters_resets_every_dimension():
    state = {filter_key("category"): "Jalan Rusak", filter_key("channel"): "sms"}
    clear_filters(state)
    assert state == {
        "x_agency_id": "",
        "x_category": "",
        "x_district": "",
        "x_channel": "",
    }
