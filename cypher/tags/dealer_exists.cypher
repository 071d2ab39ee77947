// Is there a dealer with this id? (copying a template needs one)
// $dealerId
MATCH (d:Dealer {dealerId: $dealerId})
RETURN d.dealerId AS dealerId
