// Who shares this phone? Every record (and dealer / advisor) carrying it, by source system.
// A phone shared by dozens of records is usually a dealer's front desk or a test number.
// :param e164 => '+8613800138000'
MATCH (p:Phone {e164: $e164})<-[h:HAS_PHONE]-(holder)
RETURN labels(holder)[0] AS holderKind,
       coalesce(holder.key, holder.dealerId, holder.advisorId) AS holder,
       holder.system AS system, holder.name AS name, h.role AS role
ORDER BY holderKind, system, holder
