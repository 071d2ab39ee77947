// Event intake: these events' and messages' tags are written; they no longer wait to be tagged.
// $ids [eventId | messageId]
UNWIND $ids AS id
OPTIONAL MATCH (e:Event {eventId: id})
OPTIONAL MATCH (m:ChatMessage {messageId: id})
REMOVE e.untagged, m.untagged
