// Event / campaign groups customers join by QR code.
UNWIND $rows AS row
MERGE (g:EventGroup {groupId: row.group_id})
SET g.name = row.name, g.campaign = row.campaign, g.eventDate = row.event_date, g.city = row.city
