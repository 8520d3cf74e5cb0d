# The first timestamp, 2014-02-24 07:42:21.256, as an instant in each zone,
# computed by Python's zoneinfo.
from datetime import datetime
from zoneinfo import ZoneInfo

from jtlcheck import equal, load


def ms(zone):
    t = datetime(2014, 2, 24, 7, 42, 21, 256000, tzinfo=ZoneInfo(zone))
    return round(t.timestamp() * 1000)


def first(name):
    return load(name)["Total"]["_meta"]["firstStart"]


equal(first("utc.json"), ms("UTC"), "TZ=UTC, no --timezone: read as UTC")
equal(first("paris.json"), ms("Europe/Paris"), "--timezone Europe/Paris: read as Paris time")
equal(first("tokyo-utc.json"), ms("UTC"), "TZ=Asia/Tokyo, --timezone UTC: read as UTC")
equal(first("tokyo.json"), ms("Asia/Tokyo"), "TZ=Asia/Tokyo, no --timezone: read in this machine's zone")
