#!/usr/bin/env python3
"""Writes goals.jsonl, Wand's public goal benchmark for `wand eval`, next to this file.

Every goal is a prompt plus a function that computes its answer; no answer is typed in by hand
where a program can compute it. Data that a prompt shows (CSV, JSON, log lines, word lists) is
defined once here and used both in the prompt and in the computation.

Standard library only. Deterministic: the same file every run (no clock, no unseeded randomness).

    python3 Benchmarks/goals/make_goals.py          # writes Benchmarks/goals/goals.jsonl
    python3 Benchmarks/goals/make_goals.py --check  # fails if goals.jsonl is not up to date
"""

import calendar
import csv
import datetime as dt
import io
import itertools
import json
import math
import os
import sys
from collections import Counter
from decimal import Decimal
from fractions import Fraction

KINDS = ["arithmetic", "dates", "strings", "data", "combinatorics", "money", "geometry", "simulation"]
PREFIX = {"arithmetic": "arith", "dates": "dates", "strings": "strings", "data": "data",
          "combinatorics": "comb", "money": "money", "geometry": "geom", "simulation": "sim"}

GOALS = []  # (kind, prompt, compute) in definition order


def goal(kind, prompt):
    """Registers a goal: `prompt` is asked, the decorated function computes the exact answer."""
    assert kind in KINDS, kind

    def register(compute):
        GOALS.append((kind, prompt.strip(), compute))
        return compute
    return register


# ---------------------------------------------------------------- helpers

def rounded(value, places):
    """`value` rounded to `places` decimals, as a string with exactly that many decimals.

    Refuses values on (or within 1e-9 of) a rounding tie, so the rounding mode never matters.
    `value` may be an int, Fraction, Decimal or float (floats only for pi and square roots).
    """
    exact = Fraction(value) if not isinstance(value, Decimal) else Fraction(str(value))
    scaled = exact * 10 ** places
    frac = abs(scaled) - math.floor(abs(scaled))
    assert abs(frac - Fraction(1, 2)) > Fraction(1, 10 ** 9), f"{float(value)} is a rounding tie at {places} places"
    units = math.floor(scaled + Fraction(1, 2))
    text = str(Decimal(units).scaleb(-places).quantize(Decimal(1).scaleb(-places)))
    return text


def fraction(value):
    """A probability or ratio as `a/b` in lowest terms (or a whole number)."""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def unique_best(scores, highest=True):
    """The key with the highest (or lowest) score; fails if two keys share it."""
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=highest)
    assert len(ranked) == 1 or ranked[0][1] != ranked[1][1], f"tie for best: {ranked[:2]}"
    return ranked[0][0]


def primes_below(limit):
    sieve = bytearray([1]) * limit
    sieve[0:2] = b"\x00\x00"
    for n in range(2, math.isqrt(limit - 1) + 1):
        if sieve[n]:
            sieve[n * n::n] = bytearray(len(range(n * n, limit, n)))
    return [n for n in range(limit) if sieve[n]]


def is_prime(n):
    return n >= 2 and all(n % d for d in range(2, math.isqrt(n) + 1))


def divisors(n):
    return [d for d in range(1, n + 1) if n % d == 0]


def add_months_clamped(start, months):
    """The same day of the month `months` later, or the month's last day if that day does not exist."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def easter(year):
    """Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


assert easter(2024) == dt.date(2024, 3, 31) and easter(2025) == dt.date(2025, 4, 20) and easter(2000) == dt.date(2000, 4, 23)


def caesar(text, shift):
    out = []
    for ch in text:
        if ch.isalpha() and ch.isascii():
            base = ord("A") if ch.isupper() else ord("a")
            out.append(chr((ord(ch) - base + shift) % 26 + base))
        else:
            out.append(ch)
    return "".join(out)


def shoelace(points):
    twice = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]))
    return Fraction(abs(twice), 2)


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text.strip())))


# ================================================================ arithmetic

@goal("arithmetic", "What is 48 * 125 - 999?")
def _():
    return 48 * 125 - 999


@goal("arithmetic", "What is the 1000th prime number? (2 is the 1st prime.)")
def _():
    return primes_below(10000)[999]


@goal("arithmetic", "What is the least common multiple of 12, 18, 30 and 45?")
def _():
    return math.lcm(12, 18, 30, 45)


@goal("arithmetic", "What is the sum of the decimal digits of 3 raised to the power 200?")
def _():
    return sum(int(d) for d in str(3 ** 200))


@goal("arithmetic", "What is the remainder when 7^2026 is divided by 1000?")
def _():
    return pow(7, 2026, 1000)


@goal("arithmetic", "How many positive divisors does 720720 have (counting 1 and 720720 itself)?")
def _():
    return len(divisors(720720))


@goal("arithmetic", "What is the sum of all prime numbers less than 10,000?")
def _():
    return sum(primes_below(10000))


@goal("arithmetic", "How many integers from 1 to 1000 inclusive are divisible by 3 or by 5, but not by 15?")
def _():
    return sum(1 for n in range(1, 1001) if (n % 3 == 0 or n % 5 == 0) and n % 15 != 0)


@goal("arithmetic", "Compute 1^2 + 2^2 + 3^2 + ... + 250^2.")
def _():
    return sum(n * n for n in range(1, 251))


@goal("arithmetic", "How many zeros are at the end of 1000! (1000 factorial) when it is written out in base 10?")
def _():
    digits = str(math.factorial(1000))
    return len(digits) - len(digits.rstrip("0"))


@goal("arithmetic", "Find the integer x with 0 <= x < 97 such that 23 * x leaves remainder 1 when divided by 97.")
def _():
    return pow(23, -1, 97)


@goal("arithmetic", "What is the smallest prime number greater than one million?")
def _():
    return next(n for n in itertools.count(1_000_001) if is_prime(n))


@goal("arithmetic", "A proper divisor of n is a positive divisor other than n itself. "
                    "What is the sum of the proper divisors of 945?")
def _():
    return sum(divisors(945)[:-1])


@goal("arithmetic", "How many integers between 1 and 360 inclusive share no common factor greater than 1 with 360?")
def _():
    return sum(1 for n in range(1, 361) if math.gcd(n, 360) == 1)


# ================================================================ dates

@goal("dates", "What day of the week was 1969-07-20? Answer with the English weekday name only.")
def _():
    return dt.date(1969, 7, 20).strftime("%A")


@goal("dates", "How many days after 2024-01-15 is 2024-12-25?")
def _():
    return (dt.date(2024, 12, 25) - dt.date(2024, 1, 15)).days


@goal("dates", "What date is 1000 days after 2025-03-01? Answer in YYYY-MM-DD format.")
def _():
    return (dt.date(2025, 3, 1) + dt.timedelta(days=1000)).isoformat()


@goal("dates", "A monthly subscription starts on 2024-01-31. It renews on the 31st of each following month; in a "
               "month without a 31st it renews on that month's last day instead. The first renewal is in "
               "February 2024. On what date is the 13th renewal? Answer in YYYY-MM-DD format.")
def _():
    return add_months_clamped(dt.date(2024, 1, 31), 13).isoformat()


@goal("dates", "Using the Gregorian calendar rules, how many leap years are there from 1890 to 2110, "
               "including both 1890 and 2110?")
def _():
    return sum(1 for y in range(1890, 2111) if calendar.isleap(y))


@goal("dates", "How many times does the 13th of a month fall on a Friday in the year 2026?")
def _():
    return sum(1 for m in range(1, 13) if dt.date(2026, m, 13).weekday() == 4)


@goal("dates", "How many Friday the 13ths are there from 2000-01-01 through 2099-12-31?")
def _():
    return sum(1 for y in range(2000, 2100) for m in range(1, 13) if dt.date(y, m, 13).weekday() == 4)


@goal("dates", "What is the ISO 8601 week number of the date 2027-01-01? Answer with the week number only.")
def _():
    return dt.date(2027, 1, 1).isocalendar()[1]


@goal("dates", "How many months from January 1950 through December 2025 (inclusive) began on a Monday?")
def _():
    return sum(1 for y in range(1950, 2026) for m in range(1, 13) if dt.date(y, m, 1).weekday() == 0)


@goal("dates", "A flight departs at 22:45 and is in the air for 9 hours 50 minutes. Ignoring time zones, "
               "at what clock time does it land? Answer as HH:MM on a 24-hour clock, with a leading zero if needed.")
def _():
    return (dt.datetime(2000, 1, 1, 22, 45) + dt.timedelta(hours=9, minutes=50)).strftime("%H:%M")


@goal("dates", "How many weekdays (Monday to Friday) are there from 2025-11-01 to 2025-11-30, counting both ends? "
               "Ignore public holidays.")
def _():
    return sum(1 for d in range(30) if (dt.date(2025, 11, 1) + dt.timedelta(days=d)).weekday() < 5)


@goal("dates", "Someone was born on 1990-08-15. How old are they, in completed years, on 2026-08-14?")
def _():
    born, on = dt.date(1990, 8, 15), dt.date(2026, 8, 14)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@goal("dates", "What is the date of the third Thursday of November 2030? Answer in YYYY-MM-DD format.")
def _():
    thursdays = [dt.date(2030, 11, d) for d in range(1, 31) if dt.date(2030, 11, d).weekday() == 3]
    return thursdays[2].isoformat()


@goal("dates", "Which calendar date (in UTC) corresponds to the Unix timestamp 2000000000 seconds? "
               "Answer in YYYY-MM-DD format.")
def _():
    return (dt.datetime(1970, 1, 1) + dt.timedelta(seconds=2_000_000_000)).date().isoformat()


@goal("dates", "On what date is Western (Gregorian) Easter Sunday in the year 2031? Answer in YYYY-MM-DD format.")
def _():
    return easter(2031).isoformat()


# ================================================================ strings

SENTENCE_E = "Every evening the elderly beekeeper checks seventeen hives near the creek."


@goal("strings", f"How many times does the letter e (upper or lower case) occur in this sentence?\n{SENTENCE_E}")
def _():
    return SENTENCE_E.lower().count("e")


SENTENCE_VOWELS = "Programming languages evolve faster than the textbooks written about them"


@goal("strings", "Counting only a, e, i, o and u as vowels (not y), and counting every occurrence, how many vowels "
                 f"are in this text?\n{SENTENCE_VOWELS}")
def _():
    return sum(1 for ch in SENTENCE_VOWELS.lower() if ch in "aeiou")


SENTENCE_WORDS = ("On 2026-12-04 the well-known build server re-ran 3 test suites, and - after a short pause - "
                  "reported 412 passes , 0 failures.")


@goal("strings", "Treat a word as any run of characters without spaces (so punctuation-only runs such as - and , count "
                 "as words too). How many words does this line contain?\n" + SENTENCE_WORDS)
def _():
    return len(SENTENCE_WORDS.split())


@goal("strings", "Reverse the string Wand-Workbench-42 character by character. Answer with the reversed string only.")
def _():
    return "Wand-Workbench-42"[::-1]


PALINDROME_WORDS = ["level", "rotor", "banana", "civic", "deified", "parrot", "racecar", "noon", "abba", "abca",
                    "refer", "reviver", "madman"]


@goal("strings", "How many of these words read the same forwards and backwards?\n" + ", ".join(PALINDROME_WORDS))
def _():
    return sum(1 for w in PALINDROME_WORDS if w == w[::-1])


PALINDROME_HAYSTACK = "kayakqwtbdeedbtmnstatsracecarxy"


@goal("strings", "What is the longest contiguous substring of the following string that is a palindrome? "
                 f"Answer with the substring only.\n{PALINDROME_HAYSTACK}")
def _():
    s = PALINDROME_HAYSTACK
    found = {s[i:j]: j - i for i in range(len(s)) for j in range(i + 1, len(s) + 1) if s[i:j] == s[i:j][::-1]}
    return unique_best(found)


ANAGRAM_WORDS = ["listen", "silent", "enlist", "google", "inlets", "banana", "tinsel", "stone", "tones", "notes",
                 "onset", "bananas", "elgoog", "seton", "angle", "glean"]


@goal("strings", "Group these words so that two words are in the same group exactly when one is an anagram of the "
                 "other (same letters, same counts). How many groups are there?\n" + ", ".join(ANAGRAM_WORDS))
def _():
    return len({"".join(sorted(w)) for w in ANAGRAM_WORDS})


@goal("strings", "Encrypt MEET ME AT THE OLD MILL with a Caesar cipher that shifts each letter 7 places forward "
                 "(A becomes H, and Z wraps around to G), leaving spaces as they are. Answer with the ciphertext "
                 "in uppercase.")
def _():
    return caesar("MEET ME AT THE OLD MILL", 7)


CAESAR_PLAIN = "the treasure is buried under the third oak"
CAESAR_SHIFT = 11


@goal("strings", f"This lowercase text was encrypted with a Caesar cipher that shifted every letter {CAESAR_SHIFT} "
                 f"places forward in the alphabet (wrapping from z back to a); spaces were left as they are:\n"
                 f"{caesar(CAESAR_PLAIN, CAESAR_SHIFT)}\nDecrypt it. Answer with the plaintext in lowercase.")
def _():
    plain = caesar(caesar(CAESAR_PLAIN, CAESAR_SHIFT), -CAESAR_SHIFT)
    assert plain == CAESAR_PLAIN
    return plain


PARAGRAPH = ("Rain fell on the old town. Rain on the roofs, rain on the roads, rain in the gutters; by noon "
             "the river rose. People said the rain would stop, but the rain kept falling. Rain, rain, and more rain.")


@goal("strings", "Ignoring case and punctuation, which word occurs most often in this paragraph? "
                 f"Answer with the word only, in lowercase.\n{PARAGRAPH}")
def _():
    words = "".join(ch.lower() if ch.isalpha() else " " for ch in PARAGRAPH).split()
    return unique_best(Counter(words))


RLE_INPUT = "aaabccddddde"


@goal("strings", "Run-length encode the string aaabccddddde by writing, for every run of equal characters, the run "
                 "length followed by the character (runs of length 1 are written too, so aab becomes 2a1b). "
                 "Answer with the encoded string only.")
def _():
    return "".join(f"{len(list(group))}{ch}" for ch, group in itertools.groupby(RLE_INPUT))


FIRST_UNIQUE = "programmingparadigmsrock"


@goal("strings", f"In the string {FIRST_UNIQUE}, find the first character that occurs exactly once in the whole "
                 "string. What is its position, counting the first character as position 1?")
def _():
    counts = Counter(FIRST_UNIQUE)
    return next(i + 1 for i, ch in enumerate(FIRST_UNIQUE) if counts[ch] == 1)


@goal("strings", "How many different non-empty contiguous substrings does the word abracadabra have? "
                 "Count each distinct substring once, however often it occurs.")
def _():
    s = "abracadabra"
    return len({s[i:j] for i in range(len(s)) for j in range(i + 1, len(s) + 1)})


@goal("strings", "What is the Levenshtein edit distance between the words workbench and benchmark (the fewest "
                 "single-character insertions, deletions or substitutions turning one into the other)?")
def _():
    a, b = "workbench", "benchmark"
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


# ================================================================ data

SALES_CSV = """
date,region,product,units,unit_price
2026-03-02,North,Widget,12,4.50
2026-03-02,South,Gadget,3,19.99
2026-03-03,North,Gadget,5,19.99
2026-03-03,East,Widget,20,4.50
2026-03-04,South,Widget,7,4.50
2026-03-04,North,Gizmo,2,34.00
2026-03-05,East,Gizmo,1,34.00
2026-03-05,North,Widget,9,4.25
2026-03-06,South,Gadget,4,18.99
"""


@goal("data", "Here is a sales table in CSV:\n" + SALES_CSV.strip() + "\n\nWhat is the total revenue (units times "
              "unit_price, summed over rows) for the North region? Answer in dollars with 2 decimal places.")
def _():
    return rounded(sum(int(r["units"]) * Decimal(r["unit_price"]) for r in read_csv(SALES_CSV)
                       if r["region"] == "North"), 2)


EMPLOYEES_JSON = """
[
  {"name": "Ana", "dept": "Engineering", "salary": 98000},
  {"name": "Ben", "dept": "Sales", "salary": 61000},
  {"name": "Chen", "dept": "Engineering", "salary": 87000},
  {"name": "Dara", "dept": "Support", "salary": 52000},
  {"name": "Eli", "dept": "Sales", "salary": 125000},
  {"name": "Fay", "dept": "Research", "salary": 91000},
  {"name": "Gus", "dept": "Support", "salary": 58000},
  {"name": "Hana", "dept": "Research", "salary": 95500},
  {"name": "Ivo", "dept": "Engineering", "salary": 104000},
  {"name": "Jin", "dept": "Sales", "salary": 55000}
]
"""


@goal("data", "Given these employee records as JSON:\n" + EMPLOYEES_JSON.strip() + "\n\nWhich department has the "
              "highest average salary? Answer with the department name only.")
def _():
    by_dept = {}
    for e in json.loads(EMPLOYEES_JSON):
        by_dept.setdefault(e["dept"], []).append(e["salary"])
    return unique_best({d: Fraction(sum(s), len(s)) for d, s in by_dept.items()})


SERVER_LOG = """
2026-11-30 08:00:01 INFO  [web] server started on port 8080
2026-11-30 08:00:07 WARN  [db] slow query took 1200 ms
2026-11-30 08:01:15 ERROR [auth] token expired for user=kim
2026-11-30 08:01:16 INFO  [auth] retrying after error in token refresh
2026-11-30 08:02:40 ERROR [db] connection reset by peer
2026-11-30 08:02:41 DEBUG [db] reconnecting (last ERROR was transient)
2026-11-30 08:03:05 ERROR [web] 500 on /api/orders
2026-11-30 08:04:12 INFO  [web] GET /health 200
2026-11-30 08:05:30 WARN  [web] error budget at 80%
2026-11-30 08:06:02 ERROR [auth] invalid password for user=lee
2026-11-30 08:07:45 INFO  [web] shutting down
"""


@goal("data", "How many lines in this log have the level ERROR (the third field)?\n" + SERVER_LOG.strip())
def _():
    return sum(1 for line in SERVER_LOG.strip().splitlines() if line.split()[2] == "ERROR")


ACCESS_LOG = """
10:01:02 user=alice action=login
10:01:40 user=bob action=login
10:02:13 user=alice action=view page=/home
10:03:55 user=carol action=login
10:04:01 user=bob action=view page=/cart
10:05:20 user=dave action=login
10:05:21 user=alice action=logout
10:06:48 user=erin action=view page=/home
10:07:30 user=carol action=view page=/search
10:08:02 user=bob action=logout
10:09:15 user=alice action=login
10:10:44 user=frank action=view page=/about
"""


@goal("data", "How many distinct users appear in these log lines?\n" + ACCESS_LOG.strip())
def _():
    return len({line.split()[1] for line in ACCESS_LOG.strip().splitlines()})


WEATHER_CSV = """
city,day,min_c,max_c
Oslo,Mon,-4,3
Oslo,Tue,-7,1
Oslo,Wed,-2,5
Madrid,Mon,4,17
Madrid,Tue,6,19
Madrid,Wed,3,14
Denver,Mon,-9,12
Denver,Tue,-3,16
Denver,Wed,-6,8
Lima,Mon,16,24
Lima,Tue,17,25
Lima,Wed,15,23
"""


@goal("data", "Weather readings in CSV:\n" + WEATHER_CSV.strip() + "\n\nFor each city take its highest max_c and its "
              "lowest min_c over all three days. Which city has the largest difference between the two? "
              "Answer with the city name only.")
def _():
    rows = read_csv(WEATHER_CSV)
    cities = {r["city"] for r in rows}
    return unique_best({c: max(int(r["max_c"]) for r in rows if r["city"] == c)
                           - min(int(r["min_c"]) for r in rows if r["city"] == c) for c in cities})


ORDERS_CSV = """
order_id,customer,amount
1001,c03,45.20
1002,c07,12.99
1003,c01,230.00
1004,c07,87.50
1005,c03,19.95
1006,c12,64.10
1007,c07,140.25
1008,c01,9.99
1009,c12,180.40
1010,c03,77.00
"""


@goal("data", "Orders in CSV:\n" + ORDERS_CSV.strip() + "\n\nWhich customer spent the most in total across all "
              "their orders? Answer with the customer id only.")
def _():
    totals = Counter()
    for r in read_csv(ORDERS_CSV):
        totals[r["customer"]] += Decimal(r["amount"])
    return unique_best(totals)


LATENCIES_JSON = '{"service": "search", "latencies_ms": [120, 85, 240, 97, 310, 100, 88, 150, 93, 1320, 99, 134]}'


@goal("data", "Here is a JSON record of request latencies:\n" + LATENCIES_JSON + "\n\nWhat is the median latency in "
              "milliseconds? (With an even number of values, the median is the mean of the two middle values.)")
def _():
    values = sorted(json.loads(LATENCIES_JSON)["latencies_ms"])
    mid = len(values) // 2
    median = Fraction(values[mid - 1] + values[mid], 2) if len(values) % 2 == 0 else Fraction(values[mid])
    assert median.denominator == 1
    return int(median)


HTTP_LOG = """
GET /api/items 200 123ms
GET /api/items/7 404 15ms
POST /api/cart 201 210ms
GET /api/items 200 98ms
GET /api/search?q=lamp 200 341ms
GET /api/items/9 200 77ms
POST /api/checkout 500 1204ms
GET /api/cart 200 65ms
GET /api/items 304 12ms
"""


@goal("data", "Each line of this HTTP log is: method, path, status code, response time.\n" + HTTP_LOG.strip() +
              "\n\nWhat is the average response time, in milliseconds, of the requests with status code 200? "
              "Round to 1 decimal place.")
def _():
    times = [int(line.split()[3][:-2]) for line in HTTP_LOG.strip().splitlines() if line.split()[2] == "200"]
    return rounded(Fraction(sum(times), len(times)), 1)


NESTED_ORDERS_JSON = """
{"orders": [
  {"id": "A1", "items": [{"sku": "W-100", "qty": 3}, {"sku": "G-200", "qty": 1}]},
  {"id": "A2", "items": [{"sku": "G-200", "qty": 4}]},
  {"id": "A3", "items": [{"sku": "W-100", "qty": 10}, {"sku": "W-101", "qty": 2}, {"sku": "W-100", "qty": 1}]},
  {"id": "A4", "items": []},
  {"id": "A5", "items": [{"sku": "Z-900", "qty": 7}, {"sku": "W-100", "qty": 6}]},
  {"id": "A6", "items": [{"sku": "W-1000", "qty": 5}]}
]}
"""


@goal("data", "Given these orders as JSON:\n" + NESTED_ORDERS_JSON.strip() + "\n\nWhat is the total quantity "
              "ordered of the SKU W-100, over all orders?")
def _():
    return sum(i["qty"] for o in json.loads(NESTED_ORDERS_JSON)["orders"] for i in o["items"] if i["sku"] == "W-100")


BACKUP_LOG = """
2026-11-30 23:58:41 backup started
2026-11-30 23:59:10 copying /var/db
2026-11-30 23:59:58 copying /var/www
2026-12-01 00:01:03 compressing archive
2026-12-01 00:02:47 uploading archive
2026-12-01 00:03:12 backup finished
"""


@goal("data", "A backup job wrote this log:\n" + BACKUP_LOG.strip() + "\n\nHow many seconds passed between "
              "the first line and the last line?")
def _():
    stamps = [dt.datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S") for line in BACKUP_LOG.strip().splitlines()]
    return int((stamps[-1] - stamps[0]).total_seconds())


GRADES_CSV = """
student,math,physics,chemistry
Avery,72,68,90
Blake,70,70,55
Casey,95,88,79
Devon,69,91,84
Emery,81,74,66
Finley,58,77,92
Gray,88,69,71
Harper,77,82,60
Indy,100,71,45
Jules,66,66,99
"""


@goal("data", "Exam scores in CSV:\n" + GRADES_CSV.strip() + "\n\nHow many students scored at least 70 in both "
              "math and physics?")
def _():
    return sum(1 for r in read_csv(GRADES_CSV) if int(r["math"]) >= 70 and int(r["physics"]) >= 70)


GPA_POINTS = {"A": 4, "B": 3, "C": 2, "D": 1, "F": 0}
TRANSCRIPT_CSV = """
course,credits,grade
Calculus,4,B
Physics,4,A
Writing,3,A
History,3,C
Programming,5,A
Chemistry,4,D
Art,2,B
"""


@goal("data", "A transcript in CSV:\n" + TRANSCRIPT_CSV.strip() + "\n\nWith grade points A=4, B=3, C=2, D=1, F=0, "
              "what is the credit-weighted grade point average? Round to 2 decimal places.")
def _():
    rows = read_csv(TRANSCRIPT_CSV)
    points = sum(int(r["credits"]) * GPA_POINTS[r["grade"]] for r in rows)
    return rounded(Fraction(points, sum(int(r["credits"]) for r in rows)), 2)


INVENTORY_CSV = """
sku,stock,reorder_level
A-12,40,25
A-19,8,10
B-07,15,15
B-22,0,5
C-03,120,100
C-11,9,12
D-40,30,30
D-41,29,30
E-05,3,2
"""


@goal("data", "Inventory in CSV:\n" + INVENTORY_CSV.strip() + "\n\nAn item must be reordered when its stock is "
              "strictly below its reorder_level. How many SKUs must be reordered?")
def _():
    return sum(1 for r in read_csv(INVENTORY_CSV) if int(r["stock"]) < int(r["reorder_level"]))


SESSIONS_LOG = """
09:00 mia login
09:05 omar login
09:40 mia logout
10:10 omar logout
10:15 mia login
11:30 pat login
11:45 mia logout
12:00 omar login
12:20 pat logout
12:50 omar logout
"""


@goal("data", "Each line below is a time, a user and an event (all on the same day):\n" + SESSIONS_LOG.strip() +
              "\n\nEach login is followed by that user's next logout. Which user was logged in for the most "
              "minutes in total? Answer with the user name only.")
def _():
    open_at, total = {}, Counter()
    for line in SESSIONS_LOG.strip().splitlines():
        clock, user, event = line.split()
        minutes = int(clock[:2]) * 60 + int(clock[3:])
        if event == "login":
            open_at[user] = minutes
        else:
            total[user] += minutes - open_at.pop(user)
    return unique_best(total)


# ================================================================ combinatorics

@goal("combinatorics", "A lottery ticket is a choice of 6 different numbers from 1 to 40, in any order. "
                       "How many different tickets are possible?")
def _():
    return math.comb(40, 6)


@goal("combinatorics", "How many distinct arrangements are there of the letters of the word BOOKKEEPER?")
def _():
    word = "BOOKKEEPER"
    total = math.factorial(len(word))
    for count in Counter(word).values():
        total //= math.factorial(count)
    return total


@goal("combinatorics", "Nine guests leave their coats at a party and each gets a coat back at random. In how many "
                       "of the possible ways of handing back the coats does no guest get their own coat?")
def _():
    return sum(1 for p in itertools.permutations(range(9)) if all(p[i] != i for i in range(9)))


@goal("combinatorics", "Three fair six-sided dice are rolled. What is the probability that the total is exactly 10? "
                       "Give the answer as a fraction a/b in lowest terms.")
def _():
    rolls = list(itertools.product(range(1, 7), repeat=3))
    return fraction(Fraction(sum(1 for r in rolls if sum(r) == 10), len(rolls)))


@goal("combinatorics", "Five distinguishable six-sided dice are rolled. In how many of the 7776 possible outcomes "
                       "do the faces add up to exactly 20?")
def _():
    return sum(1 for r in itertools.product(range(1, 7), repeat=5) if sum(r) == 20)


@goal("combinatorics", "On a grid of points (x, y) with 0 <= x <= 8 and 0 <= y <= 8, a path starts at (0, 0) and "
                       "ends at (8, 8), and each step increases x by 1 or y by 1. How many such paths do not pass "
                       "through the point (4, 4)?")
def _():
    ways = [[0] * 9 for _ in range(9)]
    for x in range(9):
        for y in range(9):
            if (x, y) == (0, 0):
                ways[x][y] = 1
            elif (x, y) != (4, 4):
                ways[x][y] = (ways[x - 1][y] if x else 0) + (ways[x][y - 1] if y else 0)
    return ways[8][8]


@goal("combinatorics", "Six people, A, B, C, D, E and F, sit in a row of six chairs. In how many orders can they sit "
                       "if A and B must not sit next to each other?")
def _():
    return sum(1 for p in itertools.permutations("ABCDEF") if abs(p.index("A") - p.index("B")) != 1)


@goal("combinatorics", "In a room of 30 people, with every birthday equally likely among 365 days (ignore leap days), "
                       "what is the probability that at least two people share a birthday? "
                       "Answer as a decimal rounded to 4 decimal places.")
def _():
    distinct = Fraction(1)
    for i in range(30):
        distinct *= Fraction(365 - i, 365)
    return rounded(1 - distinct, 4)


@goal("combinatorics", "How many five-digit positive integers have digits that strictly increase from left to right "
                       "(like 13579)?")
def _():
    return sum(1 for n in range(10000, 100000) if all(a < b for a, b in zip(str(n), str(n)[1:])))


@goal("combinatorics", "How many solutions in non-negative integers does a + b + c + d = 20 have if each of a, b, c "
                       "and d is at most 8? Solutions that differ in the value of any variable count as different.")
def _():
    return sum(1 for a, b, c in itertools.product(range(9), repeat=3) if 0 <= 20 - a - b - c <= 8)


@goal("combinatorics", "Two cards are drawn without replacement from a standard shuffled 52-card deck. What is the "
                       "probability that both are aces? Give the answer as a fraction a/b in lowest terms.")
def _():
    deck = ["A"] * 4 + ["x"] * 48
    pairs = list(itertools.combinations(range(52), 2))
    return fraction(Fraction(sum(1 for i, j in pairs if deck[i] == deck[j] == "A"), len(pairs)))


@goal("combinatorics", "How many subsets of {1, 2, 3, ..., 15} have a sum that is divisible by 5? Count the empty "
                       "set (sum 0) as one of them.")
def _():
    return sum(1 for mask in range(1 << 15) if sum(i + 1 for i in range(15) if mask >> i & 1) % 5 == 0)


@goal("combinatorics", "How many strings of length 12 made of the characters 0 and 1 contain no two 1s next to "
                       "each other?")
def _():
    return sum(1 for bits in itertools.product("01", repeat=12) if "11" not in "".join(bits))


@goal("combinatorics", "In a five-card poker hand dealt from a standard 52-card deck, what is the probability of a "
                       "full house (three cards of one rank and two of another)? Give the answer as a fraction a/b "
                       "in lowest terms.")
def _():
    full_houses = 13 * math.comb(4, 3) * 12 * math.comb(4, 2)
    return fraction(Fraction(full_houses, math.comb(52, 5)))


# ================================================================ money

@goal("money", "You deposit $5,000 in an account paying 4.5% annual interest, compounded monthly (4.5%/12 each "
               "month). No other deposits or withdrawals are made. What is the balance after exactly 10 years? "
               "Answer in dollars rounded to 2 decimal places.")
def _():
    return rounded(5000 * (1 + Fraction(45, 1000) / 12) ** 120, 2)


@goal("money", "A jacket costs $249.99. It is discounted by 20%, and then 8.25% sales tax is added to the "
               "discounted price. What is the final price in dollars, rounded to 2 decimal places?")
def _():
    return rounded(Fraction("249.99") * Fraction(80, 100) * (1 + Fraction("0.0825")), 2)


@goal("money", "A marathon is 26.2 miles. With 1 mile = 1.609344 km, how long is it in kilometers, "
               "rounded to 2 decimal places?")
def _():
    return rounded(Fraction("26.2") * Fraction("1.609344"), 2)


@goal("money", "A 750 g bag of rice costs $4.49 and a 1.2 kg bag of the same rice costs $7.25. What is the price per "
               "kilogram of whichever bag is cheaper per kilogram? Answer in dollars rounded to 2 decimal places.")
def _():
    return rounded(min(Fraction("4.49") / Fraction("0.75"), Fraction("7.25") / Fraction("1.2")), 2)


@goal("money", "Four friends have dinner. The bill is $186.40 before tip; they add a 15% tip on that amount and "
               "split the total equally. How much does each person pay, in dollars with 2 decimal places?")
def _():
    return rounded(Fraction("186.40") * Fraction(115, 100) / 4, 2)


@goal("money", "A train goes 150 km at 100 km/h, then another 150 km at 60 km/h. What is its average speed over the "
               "whole 300 km, in km/h?")
def _():
    speed = Fraction(300) / (Fraction(150, 100) + Fraction(150, 60))
    assert speed.denominator == 1
    return int(speed)


@goal("money", "You exchange 1,200 US dollars for euros. The bank first takes a 1.5% fee out of the dollar amount, "
               "then converts the rest at 0.92 euros per dollar. How many euros do you get, rounded to 2 decimal "
               "places?")
def _():
    return rounded(1200 * (1 - Fraction("0.015")) * Fraction("0.92"), 2)


@goal("money", "A $20,000 loan is repaid in 60 equal monthly payments at 6% annual interest, compounded monthly "
               "(0.5% per month), as a standard amortizing loan with the first payment one month after the loan. "
               "What is the monthly payment in dollars, rounded to 2 decimal places?")
def _():
    rate = Fraction(5, 1000)
    return rounded(20000 * rate / (1 - (1 + rate) ** -60), 2)


@goal("money", "A road trip is 420 miles. The car does 32 miles per gallon and gas costs $3.79 per gallon. "
               "What does the gas for the trip cost, in dollars rounded to 2 decimal places?")
def _():
    return rounded(Fraction(420, 32) * Fraction("3.79"), 2)


@goal("money", "Sam earns $18.50 an hour, and every hour beyond 40 in a week is paid at 1.5 times that rate. "
               "Sam worked 46 hours this week. What is Sam's pay for the week in dollars?")
def _():
    rate, hours = Fraction("18.50"), 46
    pay = rate * min(hours, 40) + rate * Fraction(3, 2) * max(hours - 40, 0)
    return rounded(pay, 2)


@goal("money", "An oven is set to 350 degrees Fahrenheit. What is that in degrees Celsius, rounded to 1 decimal place?")
def _():
    return rounded((350 - 32) * Fraction(5, 9), 1)


@goal("money", "A share costs $80. Its price rises 25%, then falls 20%, then rises 10%. What is the final price "
               "in dollars?")
def _():
    return rounded(80 * Fraction(125, 100) * Fraction(80, 100) * Fraction(110, 100), 2)


@goal("money", "A runner finishes 10 km in 47 minutes 30 seconds at an even pace. How many seconds does each "
               "kilometer take?")
def _():
    pace = Fraction(47 * 60 + 30, 10)
    assert pace.denominator == 1
    return int(pace)


@goal("money", "$1,000 is invested at 7% per year, compounded once a year. After how many whole years does the "
               "balance first exceed $2,000?")
def _():
    balance, years = Fraction(1000), 0
    while balance <= 2000:
        balance *= Fraction(107, 100)
        years += 1
    return years


# ================================================================ geometry

@goal("geometry", "A rectangular garden is 12.5 m long and 8 m wide. Fencing costs $14 per meter. How much does it "
                  "cost, in dollars, to fence the whole perimeter?")
def _():
    return rounded(2 * (Fraction("12.5") + 8) * 14, 2)


@goal("geometry", "What is the distance between the points (3, -2) and (-5, 13)?")
def _():
    d2 = (3 - -5) ** 2 + (-2 - 13) ** 2
    assert math.isqrt(d2) ** 2 == d2
    return math.isqrt(d2)


POLYGON = [(1, 1), (9, 2), (11, 7), (6, 11), (2, 8), (3, 5)]


@goal("geometry", "A simple polygon has these vertices in order: " + ", ".join(f"({x}, {y})" for x, y in POLYGON) +
                  ". What is its area?")
def _():
    edges = list(zip(POLYGON, POLYGON[1:] + POLYGON[:1]))

    def crosses(p1, p2, q1, q2):
        def side(a, b, c):
            return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return side(p1, p2, q1) * side(p1, p2, q2) < 0 and side(q1, q2, p1) * side(q1, q2, p2) < 0

    assert not any(crosses(*e, *f) for e, f in itertools.combinations(edges, 2)), "polygon is not simple"
    area = shoelace(POLYGON)
    return str(area.numerator) if area.denominator == 1 else rounded(area, 1)


@goal("geometry", "A triangle has sides of length 7, 8 and 9. What is its area, rounded to 2 decimal places?")
def _():
    a, b, c = 7, 8, 9
    s = Fraction(a + b + c, 2)
    return rounded(math.sqrt(s * (s - a) * (s - b) * (s - c)), 2)


@goal("geometry", "What is the area of a circle with radius 7.5 cm, in square centimeters rounded to 2 decimal places? "
                  "Use the exact value of pi, not an approximation such as 3.14.")
def _():
    return rounded(math.pi * 7.5 ** 2, 2)


@goal("geometry", "What is the volume of a sphere of radius 3, rounded to 2 decimal places? Use the exact value of pi.")
def _():
    return rounded(4 / 3 * math.pi * 3 ** 3, 2)


@goal("geometry", "How many points (x, y) with integer coordinates satisfy x^2 + y^2 <= 100?")
def _():
    return sum(1 for x in range(-10, 11) for y in range(-10, 11) if x * x + y * y <= 100)


@goal("geometry", "How many points with integer coordinates lie strictly inside (not on the edges of) the triangle "
                  "with vertices (0, 0), (12, 0) and (0, 9)?")
def _():
    # inside when x > 0, y > 0 and 9x + 12y < 108
    return sum(1 for x in range(13) for y in range(10) if x > 0 and y > 0 and 9 * x + 12 * y < 108)


@goal("geometry", "At 3:40 on an analog clock, what is the smaller angle, in degrees, between the hour hand and the "
                  "minute hand?")
def _():
    hour = Fraction(3 * 60 + 40, 2)  # degrees: the hour hand moves 0.5 degrees a minute
    minute = Fraction(40 * 6)
    angle = abs(hour - minute) % 360
    return fraction(min(angle, 360 - angle))


@goal("geometry", "A 13 m ladder leans against a vertical wall with its foot 5 m from the wall on level ground. "
                  "How high up the wall, in meters, does the top of the ladder reach?")
def _():
    h2 = 13 ** 2 - 5 ** 2
    assert math.isqrt(h2) ** 2 == h2
    return math.isqrt(h2)


@goal("geometry", "What is the area of a regular hexagon with side length 4, rounded to 2 decimal places?")
def _():
    return rounded(3 * math.sqrt(3) / 2 * 4 ** 2, 2)


@goal("geometry", "A closed cylinder has radius 3 and height 10. What is its total surface area, including the top "
                  "and bottom, rounded to 2 decimal places? Use the exact value of pi.")
def _():
    r, h = 3, 10
    return rounded(2 * math.pi * r * r + 2 * math.pi * r * h, 2)


HULL_POINTS = [(0, 0), (4, 1), (7, 0), (9, 4), (5, 3), (6, 8), (2, 6), (3, 3), (-1, 5), (1, 2)]


@goal("geometry", "What is the area of the smallest convex polygon that contains all of these points: " +
                  ", ".join(f"({x}, {y})" for x, y in HULL_POINTS) + "?")
def _():
    pts = sorted(set(HULL_POINTS))

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    def half(points):
        chain = []
        for p in points:
            while len(chain) >= 2 and cross(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
        return chain

    lower, upper = half(pts), half(pts[::-1])
    area = shoelace(lower[:-1] + upper[:-1])
    return str(area.numerator) if area.denominator == 1 else rounded(area, 1)


@goal("geometry", "A grid of 7 by 5 unit squares is drawn. How many rectangles of any size (squares included) "
                  "can be traced along its grid lines?")
def _():
    return sum(1 for x1, x2 in itertools.combinations(range(8), 2) for y1, y2 in itertools.combinations(range(6), 2))


# ================================================================ simulation

def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


@goal("simulation", "Start with 97. If the number is even, halve it; if it is odd, multiply by 3 and add 1. How many "
                    "of these steps does it take to reach 1?")
def _():
    return collatz_steps(97)


@goal("simulation", "For the rule 'halve an even number; replace an odd number n by 3n + 1', which starting number "
                    "from 1 to 999 takes the most steps to reach 1?")
def _():
    return unique_best({n: collatz_steps(n) for n in range(1, 1000)})


ROBOT_COMMANDS = "FFRFFLFFFRRFLFFFFRFLLFFF"


@goal("simulation", "A robot starts at (0, 0) on an infinite grid facing north. It follows the commands "
                    f"{ROBOT_COMMANDS}, where F moves one cell forward, L turns 90 degrees left and R turns 90 "
                    "degrees right (turning does not move it). What is its Manhattan distance (|x| + |y|) from the "
                    "start at the end?")
def _():
    x = y = 0
    dx, dy = 0, 1
    for c in ROBOT_COMMANDS:
        if c == "F":
            x, y = x + dx, y + dy
        elif c == "L":
            dx, dy = -dy, dx
        else:
            dx, dy = dy, -dx
    return abs(x) + abs(y)


BOARD_MOVES = "UUURRRRRRDDLLUUUUUURDL"


@goal("simulation", "A token sits on square a1 of a 6 by 6 board with columns a to f (left to right) and rows 1 to 6 "
                    "(bottom to top). It follows the moves " + BOARD_MOVES + " where U is up one row, D down, "
                    "L left one column and R right; a move that would leave the board is skipped. On which square "
                    "does it end? Answer like c4.")
def _():
    col, row = 0, 0
    for m in BOARD_MOVES:
        dc, dr = {"U": (0, 1), "D": (0, -1), "L": (-1, 0), "R": (1, 0)}[m]
        if 0 <= col + dc < 6 and 0 <= row + dr < 6:
            col, row = col + dc, row + dr
    return "abcdef"[col] + str(row + 1)


BANK_CUSTOMERS = [("A", 0, 5), ("B", 1, 3), ("C", 2, 8), ("D", 4, 2), ("E", 10, 4), ("F", 11, 1), ("G", 20, 3),
                  ("H", 21, 6), ("I", 30, 2)]


@goal("simulation", "A bank has one teller who serves customers one at a time in order of arrival, starting each "
                    "service as soon as the teller is free. Customers (name, arrival minute, minutes of service): " +
                    "; ".join(f"{n} {a} {s}" for n, a, s in BANK_CUSTOMERS) + ". Adding up, over all customers, the "
                    "minutes between arriving and starting to be served, what is the total waiting time?")
def _():
    free_at, waited = 0, 0
    for _, arrive, service in BANK_CUSTOMERS:
        start = max(free_at, arrive)
        waited += start - arrive
        free_at = start + service
    return waited


BANK2_CUSTOMERS = [(0, 7), (0, 4), (1, 6), (2, 3), (3, 9), (5, 2), (6, 5), (8, 4), (9, 1), (15, 3)]


@goal("simulation", "A shop has two cashiers. Customers queue in one line in order of arrival, and the customer at the "
                    "front goes to a cashier as soon as one is free. Each customer is (arrival minute, minutes of "
                    "service): " + ", ".join(f"({a}, {s})" for a, s in BANK2_CUSTOMERS) + ". At what minute does "
                    "the last customer finish being served?")
def _():
    free = [0, 0]
    finish = 0
    for arrive, service in BANK2_CUSTOMERS:
        i = min(range(2), key=lambda k: free[k])
        start = max(free[i], arrive)
        free[i] = start + service
        finish = max(finish, free[i])
    return finish


@goal("simulation", "A row of 41 cells, numbered 0 to 40, starts with only cell 20 alive. Each step, every cell's new "
                    "state is (left neighbour) XOR ((itself) OR (right neighbour)), where cells beyond either end "
                    "count as dead (this is the elementary cellular automaton Rule 30). How many cells are alive "
                    "after 20 steps?")
def _():
    cells = [0] * 41
    cells[20] = 1
    for _ in range(20):
        padded = [0] + cells + [0]
        cells = [padded[i - 1] ^ (padded[i] | padded[i + 1]) for i in range(1, 42)]
    return sum(cells)


LIFE_START = """
..........
..........
..........
....##....
...##.....
....#.....
..........
..........
..........
..........
"""


@goal("simulation", "Conway's Game of Life runs on this 10 by 10 board (# alive, . dead). Cells outside the board "
                    "are always dead. A live cell with 2 or 3 live neighbours (of 8) stays alive, a dead cell with "
                    "exactly 3 live neighbours becomes alive, and every other cell is dead in the next generation.\n" +
                    LIFE_START.strip() + "\nHow many cells are alive after 10 generations?")
def _():
    grid = [[ch == "#" for ch in row] for row in LIFE_START.strip().splitlines()]
    for _ in range(10):
        def alive_near(r, c):
            return sum(grid[r + dr][c + dc] for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                       if (dr or dc) and 0 <= r + dr < 10 and 0 <= c + dc < 10)
        grid = [[alive_near(r, c) in ((2, 3) if grid[r][c] else (3,)) for c in range(10)] for r in range(10)]
    return sum(map(sum, grid))


@goal("simulation", "Two players take turns removing 1, 3 or 4 stones from a single pile; whoever takes the last "
                    "stone wins, and both play perfectly. For how many starting pile sizes from 1 to 100 inclusive "
                    "does the player who moves first lose?")
def _():
    wins = [False] * 101
    for n in range(1, 101):
        wins[n] = any(n >= t and not wins[n - t] for t in (1, 3, 4))
    return sum(1 for n in range(1, 101) if not wins[n])


@goal("simulation", "A lake has 500 fish. Each year the population first grows by 12%, rounded down to a whole number "
                    "of fish, and then 40 fish are caught. How many fish are there after 8 years?")
def _():
    fish = 500
    for _ in range(8):
        fish = fish * 112 // 100 - 40
    return fish


@goal("simulation", "A ball is dropped from a height of 10 m. After each bounce it rises to 60% of the height it "
                    "last fell from. What total vertical distance has it traveled, up and down, at the moment it "
                    "hits the ground for the 6th time? Answer in meters rounded to 2 decimal places.")
def _():
    height, distance = Fraction(10), Fraction(10)
    for _ in range(5):  # five bounces between the 1st and the 6th impact
        height *= Fraction(6, 10)
        distance += 2 * height
    return rounded(distance, 2)


@goal("simulation", "100 people numbered 1 to 100 stand in a circle. Starting with person 1 counted as 1, they count "
                    "around the circle and every 7th person counted leaves; counting resumes at 1 with the next "
                    "person still in the circle. What is the number of the last person left?")
def _():
    people, index = list(range(1, 101)), 0
    while len(people) > 1:
        index = (index + 6) % len(people)
        people.pop(index)
    return people[0]


@goal("simulation", "An elevator starts on floor 1 and serves these requests strictly in order, going straight to "
                    "each: 7, 3, 12, 12, 2, 9, then back to 1. How many floors does it travel in total (counting "
                    "each floor passed, so going from 1 to 7 is 6 floors)?")
def _():
    stops = [1, 7, 3, 12, 12, 2, 9, 1]
    return sum(abs(a - b) for a, b in zip(stops, stops[1:]))


@goal("simulation", "Langton's ant walks on an infinite grid of white cells. At a white cell it turns 90 degrees "
                    "right, at a black cell 90 degrees left; then it flips the color of the cell it is on and moves "
                    "forward one cell. How many cells are black after 500 such moves?")
def _():
    black, x, y, dx, dy = set(), 0, 0, 0, 1
    for _ in range(500):
        if (x, y) in black:
            dx, dy = -dy, dx
            black.remove((x, y))
        else:
            dx, dy = dy, -dx
            black.add((x, y))
        x, y = x + dx, y + dy
    return len(black)


@goal("simulation", "Three jobs arrive at time 0 in the order P1, P2, P3 and need 10, 4 and 7 units of CPU time. A "
                    "round-robin scheduler runs the job at the front of the queue for up to 3 units, then moves it to "
                    "the back of the queue if it is not finished; switching takes no time. At what time does P3 "
                    "finish?")
def _():
    queue, time = [["P1", 10], ["P2", 4], ["P3", 7]], 0
    while queue:
        job = queue.pop(0)
        run = min(3, job[1])
        time += run
        job[1] -= run
        if job[1]:
            queue.append(job)
        elif job[0] == "P3":
            return time


# ---------------------------------------------------------------- output

def build():
    counters = Counter()
    by_kind = {k: [] for k in KINDS}
    for kind, prompt, compute in GOALS:
        counters[kind] += 1
        answer = compute()
        if isinstance(answer, bool) or not isinstance(answer, (int, str)):
            raise TypeError(f"{kind} goal {counters[kind]}: answer must be int or str, got {answer!r}")
        answer = str(answer)
        assert prompt.isascii() and answer.isascii() and answer.strip() == answer and answer
        by_kind[kind].append({"id": f"{PREFIX[kind]}-{counters[kind]:02d}", "kind": kind,
                              "prompt": prompt, "answer": answer})
    for kind in KINDS:
        assert len(by_kind[kind]) >= 12, f"{kind}: only {len(by_kind[kind])} goals"
    # Interleaved by kind, so `wand eval --limit N` takes a balanced sample.
    rows = [row for group in itertools.zip_longest(*(by_kind[k] for k in KINDS)) for row in group if row]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    return "".join(json.dumps(r, sort_keys=True, ensure_ascii=True) + "\n" for r in rows)


def main():
    text = build()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "goals.jsonl")
    if "--check" in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit(f"{path} is out of date; run {sys.argv[0]}")
        print(f"{path} is up to date")
        return
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    counts = Counter(json.loads(line)["kind"] for line in text.splitlines())
    print(f"wrote {sum(counts.values())} goals to {path}: " + ", ".join(f"{k} {counts[k]}" for k in KINDS))


if __name__ == "__main__":
    main()
