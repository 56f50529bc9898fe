"""Matching the area names of ONS's deaths tables to the codes of their year."""

from __future__ import annotations

from diagnostics.sources.england.area_names import loose_name, match_area_names, normal_name

CODES_2014 = {
    "E06000023": "Bristol, City of", "E06000019": "Herefordshire, County of", "E06000033": "Southend-on-Sea",
    "E08000014": "Sefton", "E08000013": "St. Helens", "E06000043": "Brighton and Hove", "E10000027": "Somerset",
    "E06000052": "Cornwall", "E06000053": "Isles of Scilly", "E11000007": "Tyne and Wear", "W06000014": "The Vale of Glamorgan",
    "E12000003": "YORKSHIRE AND THE HUMBER", "E09000001": "City of London", "E12000007": "LONDON",
}


def test_case_punctuation_and_footnote_digits_do_not_matter():
    assert normal_name("ENGLAND AND WALES1") == "england and wales"
    assert normal_name("Kingston upon Hull\u201a City of") == normal_name("Kingston upon Hull, City of")
    assert normal_name("St. Helens") == normal_name("St Helens") and normal_name("Brighton & Hove") == "brighton and hove"


def test_descriptive_words_are_dropped_only_in_the_loose_form():
    assert loose_name("Somerset County") == loose_name("Somerset") == "somerset"
    assert loose_name("Tyne and Wear (Met county)") == "tyne and wear"
    assert loose_name("The Vale of Glamorgan") == "vale of glamorgan"


def test_onss_spellings_match_the_codes_of_their_year():
    names = ["Bristol\u201a City of", "Herefordshire\u201a County of", "Southend on Sea", "St Helens", "Brighton & Hove",
             "Somerset County", "Tyne and Wear (Met county)", "Vale of Glamorgan", "YORKSHIRE AND THE HUMBER", "City of London", "LONDON"]
    match = match_area_names(names, CODES_2014)
    assert match.codes == {
        "Bristol\u201a City of": "E06000023", "Herefordshire\u201a County of": "E06000019", "Southend on Sea": "E06000033",
        "St Helens": "E08000013", "Brighton & Hove": "E06000043", "Somerset County": "E10000027",
        "Tyne and Wear (Met county)": "E11000007", "Vale of Glamorgan": "W06000014", "YORKSHIRE AND THE HUMBER": "E12000003",
        "City of London": "E09000001", "LONDON": "E12000007",
    }
    assert set(match.loose) == {"Somerset County", "Tyne and Wear (Met county)", "Vale of Glamorgan"}
    assert match.unmatched == [] and match.ambiguous == {}


def test_two_areas_published_together_are_named_with_both_codes():
    match = match_area_names(["Cornwall and Isles of Scilly2"], CODES_2014)
    assert match.combined == {"Cornwall and Isles of Scilly2": ["E06000052", "E06000053"]}


def test_names_that_fit_no_area_or_several_are_not_guessed():
    match = match_area_names(["INNER LONDON", "Newport"], {**CODES_2014, "W06000022": "Newport", "E07000999": "Newport"})
    assert match.unmatched == ["INNER LONDON"] and match.ambiguous == {"Newport": ["E07000999", "W06000022"]}
