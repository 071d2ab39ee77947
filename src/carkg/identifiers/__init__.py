"""Validation, normalisation and masking of the identifiers source systems send: phones, ID cards,
VINs, personal names and vehicle model names."""

from carkg.identifiers.errors import IdentifierError
from carkg.identifiers.idcard import IdCard, hash_id_number, id_check_char, mask_id_number, parse_id_card
from carkg.identifiers.models import Brand, ModelAlias, ModelCatalog, VehicleModel, alias_key
from carkg.identifiers.names import SAME_PINYIN, name_pinyin, name_similarity, normalize_name
from carkg.identifiers.phone import is_mobile, mask_phone, normalize_phone
from carkg.identifiers.vin import normalize_vin, vin_check_digit

__all__ = [
    "SAME_PINYIN",
    "Brand",
    "IdCard",
    "IdentifierError",
    "ModelAlias",
    "ModelCatalog",
    "VehicleModel",
    "alias_key",
    "hash_id_number",
    "id_check_char",
    "is_mobile",
    "mask_id_number",
    "mask_phone",
    "name_pinyin",
    "name_similarity",
    "normalize_name",
    "normalize_phone",
    "normalize_vin",
    "parse_id_card",
    "vin_check_digit",
]
