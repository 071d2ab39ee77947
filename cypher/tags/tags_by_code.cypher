// Tag definitions by code: what `assign` checks codes, status and values against.
// $codes
UNWIND $codes AS code
MATCH (t:Tag {code: code})
RETURN t {.code, .nameZh, .nameEn, .category, .valueType, .values, .scope, .ownerId, .status, .template,
          .description} AS tag
