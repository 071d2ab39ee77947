"""Fellegi–Sunter weights: how much each piece of evidence says "same person".

For each field and outcome, m = P(outcome | same person) and u = P(outcome | different persons among
candidate pairs, i.e. pairs that already share some identifier); the weight is log2(m/u) and a pair's
score is the sum over fields. The numbers are fixed and documented here (not learned), chosen from what
is known about Chinese automotive CRM data; the demo ground truth is only used to *measure* them.

| field | outcome | m | u | weight |
|---|---|---|---|---|
| idDocument | agree (same ID hash) | 0.99 | 1e-6 | +19.9 |
| idDocument | near (one character wrong, missing, added or swapped; never two valid 身份证) | 0.02 | 1e-5 | +11.0 |
| idDocument | disagree (both have one, different) | 0.008 | 0.99 | −7.0 |
| idDocument | disagree, one without a check digit (passport, social security: slips pass) | 0.05 | 0.99 | −4.3 |
| wechat | agree (same unionid) | 0.95 | 1e-5 | +16.5 |
| wechat | disagree | 0.02 | 0.99 | −5.6 |
| device | agree | 0.9 | 0.001 | +9.8 |
| device | disagree | 0.5 | 0.99 | −1.0 |
| phone | agree | 0.85 | 0.002 | +8.7 |
| phone | near (one digit wrong, missing, added or swapped; families have consecutive numbers) | 0.02 | 0.002 | +3.3 |
| phone | disagree (a second phone is common) | 0.25 | 0.99 | −2.0 |
| vin | agree (families and second owners share cars) | 0.6 | 0.005 | +6.9 |
| name | exact (same text or same pinyin: homophone / romanised typos) | 0.8 | name's share (smoothed) | ≈ +8 … +12 |
| name | homophone (same pinyin, other characters: 张伟 / 张玮, but also 周峰 / 周凤) | 0.12 | as exact | exact − 2.7 |
| name | close (written names whose words pair off, any order, Jaro–Winkler ≥ 0.9 each) | 0.15 | 0.0005 | +8.2 |
| name | fuzzy (one character dropped, pinyin ratio ≥ 0.9) | 0.1 | 0.01 | +3.3 |
| name | given (嘉佳 / Jiajia for 王嘉佳, 伟伟 for 王伟) | 0.12 | 0.0005 | +7.9 |
| name | partial (surname only: 王先生, 小王/老王) | 0.06 | 0.005 | +3.6 |
| name | disagree | 0.04 | 0.96 | −4.6 |
| name | disagree, one side a nickname-prone source (WeCom) and not both real full names | 0.25 | 0.96 | −1.9 |
| dealer | agree (served at a common dealer) | 0.8 | 0.2 | +2.0 |
| dealer | disagree | 0.15 | 0.8 | −2.4 |
| advisor | agree (a common advisor) | 0.5 | 0.03 | +4.1 |
| birthDate | agree | 0.95 | 0.004 | +7.9 |
| birthDate | near (one digit wrong or two swapped, or day and month swapped) | 0.04 | 0.005 | +3.0 |
| birthDate | disagree | 0.01 | 0.99 | −6.6 |
| gender | agree | 0.98 | 0.52 | +0.9 |
| gender | disagree | 0.02 | 0.48 | −4.6 |
| city | agree | 0.9 | 0.3 | +1.6 |
| city | disagree | 0.1 | 0.7 | −2.8 |
| postcode | agree | 0.85 | 0.01 | +6.4 |
| postcode | disagree (moved, or a digit slipped) | 0.15 | 0.99 | −2.7 |
| address | agree (same words, any order, similarity ≥ 90; a household shares it too) | 0.7 | 0.01 | +6.1 |
| address | fuzzy (similarity 75–90) | 0.15 | 0.02 | +2.9 |
| address | disagree | 0.15 | 0.97 | −2.7 |

The exact-name weight is frequency-aware: u = (records with that name + 0.002 × 5000) / (named records
+ 5000), the share of records carrying the name smoothed towards 1 in 500; on the 20k demo a rare name
weighs about +11.8, a name on 50 records +9.5. Dealer and advisor are
context, not identifiers: they only add to (or subtract from) a pair proposed by an identifier or by a
distinctive name at a common dealer. A missing value on either side weighs 0.

With the default thresholds (link ≥ 12, review ≥ 6):
a shared phone plus the same name links (17.3); a shared phone alone, or a shared phone with a
different name (a family phone: 8.7 − 4.6 = 4.1), never does; a shared car with a different name
scores below zero; one WeChat account links even under a nickname (16.5 − 1.9).
"""

from __future__ import annotations

from math import log2

MU: dict[str, dict[str, tuple[float, float]]] = {
    "idDocument": {"agree": (0.99, 1e-6), "near": (0.02, 1e-5), "disagree": (0.008, 0.99),
                   "unchecked": (0.05, 0.99)},
    "wechat": {"agree": (0.95, 1e-5), "disagree": (0.02, 0.99)},
    "device": {"agree": (0.9, 0.001), "disagree": (0.5, 0.99)},
    "phone": {"agree": (0.85, 0.002), "near": (0.02, 0.002), "disagree": (0.25, 0.99)},
    "vin": {"agree": (0.6, 0.005)},
    "name": {
        "exact": (0.8, 0.002), "close": (0.15, 0.0005), "fuzzy": (0.1, 0.01), "given": (0.12, 0.0005),
        "partial": (0.06, 0.005),
        "disagree": (0.04, 0.96), "nickname": (0.25, 0.96),
    },
    "dealer": {"agree": (0.8, 0.2), "disagree": (0.15, 0.8)},
    "advisor": {"agree": (0.5, 0.03)},
    "birthDate": {"agree": (0.95, 0.004), "near": (0.04, 0.005), "disagree": (0.01, 0.99)},
    "gender": {"agree": (0.98, 0.52), "disagree": (0.02, 0.48)},
    "city": {"agree": (0.9, 0.3), "disagree": (0.1, 0.7)},
    "postcode": {"agree": (0.85, 0.01), "disagree": (0.15, 0.99)},
    "address": {"agree": (0.7, 0.01), "fuzzy": (0.15, 0.02), "disagree": (0.15, 0.97)},
}

WEIGHTS: dict[str, dict[str, float]] = {
    field: {outcome: round(log2(m / u), 2) for outcome, (m, u) in outcomes.items()} for field, outcomes in MU.items()
}


HOMOPHONE_PENALTY = -2.74  # log2(0.15): same sound, other characters is a typo only ~15% as often as a match
NAME_U_PRIOR = 0.002  # before seeing data, one record in 500 shares a given name
NAME_U_PSEUDO = 5000  # how many records' worth of weight that prior has (a small graph leans on it)


def name_agreement(records_with_name: int, named_records: int, m: float = MU["name"]["exact"][0]) -> float:
    """Frequency-aware weight of an exact name match: 张伟 on 1 in 500 records says less than a rare name.

    u is the name's share of the named records, smoothed towards NAME_U_PRIOR so that a graph of a
    handful of records does not make every name look common (or unique)."""
    u = (records_with_name + NAME_U_PRIOR * NAME_U_PSEUDO) / (named_records + NAME_U_PSEUDO)
    return round(log2(m / u), 2)
