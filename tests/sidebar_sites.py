"""Synthetic regional outlets whose article pages carry rotating sidebars.

Each outlet prints its articles into a page template of its own, in the style of a CMS seen on
regional news sites — a WordPress theme (English), a Bitrix portal built of tables (Russian), a
Drupal site of regions and views (Kazakh), a hand-made site of nested tables and numbered ids
(Azerbaijani), a Bootstrap grid of an agency printing short briefs (Uzbek, Latin script) and an
AMP page of an English-language wire. Around the article: the outlet's newest headlines with
their date and time (linked on some outlets, plain text on others), a video box of titles
without links, "most read", a ticker, category blocks, menus and a footer. The sidebars show the
outlet's newest headlines at the moment a page is rendered: when it is served, or, on an outlet
behind a full-page cache, when the article was published. Headlines naming Azerbaijan (in the
outlet's language) therefore stand beside articles that never mention it, and the newest
article's page is the first to show the newest headlines.

Everything is generated from a seed: no network, no downloads. Article text is composed from
per-language sentence templates about ports, corridors, ministries, prices, weather and sport,
their slots drawn at random; no sentence is printed in two articles of an outlet. The ground
truth of every article — its URL, headline, body paragraphs and whether the headline or body
names Azerbaijan — is kept in :class:`Article`.

    with Outlets(["bitrix", "handmade"], seed=1, first=8) as outlets:
        outlets.write_config(tmp_path)     # the sources, one rule (``azerbaijan``)
        ...                                # newsmon --config ... crawl
        outlets.publish(5)                 # 5 new articles per outlet, pages re-rendered
        ...
        stored, alerted = read_store(tmp_path / "newsmon.db")
        score(outlets.articles(), stored, alerted)

``python -m tests.sidebar_sites DIR`` writes one article page per style into DIR (the saved
pages under ``tests/fixtures/sidebars``).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Self

import yaml

from newsmon.demo.outlets import OutletServer

# The rule of the tests (tests/conftest.py RULES): every outlet language's spelling.
RULE = {
    "name": "azerbaijan",
    "query": "Azerbaijan* OR Azərbaycan* OR Azerbaycan* OR Азербайджан* OR Әзірбайжан* OR Ozarbayjon*",
    "channel": "#caucasus",
}
WATCHED = re.compile(
    r"(?<!\w)(azerbaijan|azərbaycan|azerbaycan|азербайджан|әзірбайжан|ozarbayjon)", re.IGNORECASE
)
TOPICS = ("port", "corridor", "ministry", "prices", "weather", "sport")
# a topic borrows sentences from its neighbour (a port story speaks of the corridor)
NEIGHBOUR = {
    "port": "corridor",
    "corridor": "port",
    "ministry": "prices",
    "prices": "ministry",
    "weather": "port",
    "sport": "sport",
}


@dataclass(frozen=True)
class Topic:
    titles: tuple[str, ...]
    sentences: tuple[str, ...]
    az_titles: tuple[str, ...]  # headlines naming Azerbaijan
    az_sentences: tuple[str, ...]
    roles: tuple[str, ...]  # who is quoted
    tags: tuple[str, ...]
    section: str


@dataclass(frozen=True)
class Language:
    code: str
    cities: tuple[tuple[str, str], ...]  # (name, "in <name>")
    ports: tuple[str, ...]
    people: tuple[tuple[str, str], ...]  # (name, "m" | "f")
    staff: tuple[str, ...]  # bylines
    goods: tuple[str, ...]
    teams: tuple[str, ...]
    on_days: tuple[str, ...]  # Monday first
    in_months: tuple[str, ...]
    months: tuple[str, ...]  # nominative
    from_months: tuple[str, ...]  # "since January"
    date_months: tuple[str, ...]  # as printed in a date
    topics: dict[str, Topic]
    generic: tuple[str, ...]
    az_generic: tuple[str, ...]
    videos: tuple[str, ...]
    az_videos: tuple[str, ...]
    captions: tuple[str, ...]
    country_tag: str
    ui: dict[str, str]
    sections: tuple[str, ...]
    currency: str


# ---------------------------------------------------------------------------------------------
# English

EN = Language(
    code="en",
    cities=tuple(
        (c, f"in {c}")
        for c in (
            "Aktau",
            "Almaty",
            "Astana",
            "Tashkent",
            "Samarkand",
            "Bishkek",
            "Atyrau",
            "Shymkent",
            "Turkmenbashi",
            "Tbilisi",
            "Bukhara",
            "Osh",
            "Dushanbe",
            "Baku",
            "Karaganda",
            "Kostanay",
        )
    ),
    ports=("Aktau", "Kuryk", "Turkmenbashi", "Poti", "Batumi", "Alat", "Olya"),
    people=(
        ("Aidar Nurlanov", "m"),
        ("Dilnoza Rahimova", "f"),
        ("Timur Sadykov", "m"),
        ("Gulnara Beisenova", "f"),
        ("Jamshid Karimov", "m"),
        ("Saida Tursunova", "f"),
        ("Nurlan Abenov", "m"),
        ("Madina Omarova", "f"),
        ("Rustam Ergashev", "m"),
        ("Aliya Zhakupova", "f"),
        ("Bakhtiyar Ismoilov", "m"),
        ("Nino Beridze", "f"),
    ),
    staff=("Anna Kim", "Daniyar Seitkali", "Laura Mukhametova", "Ruslan Bekov"),
    goods=(
        "grain",
        "cotton",
        "container",
        "fertiliser",
        "steel pipe",
        "sunflower oil",
        "copper",
        "flour",
    ),
    teams=("Kairat", "Tobol", "Ordabasy", "Aktobe", "Pakhtakor", "Nasaf", "Dordoi", "Istiklol"),
    on_days=(
        "on Monday",
        "on Tuesday",
        "on Wednesday",
        "on Thursday",
        "on Friday",
        "on Saturday",
        "on Sunday",
    ),
    in_months=tuple(
        f"in {m}"
        for m in (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        )
    ),
    months=(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    from_months=tuple(
        f"since {m}"
        for m in (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        )
    ),
    date_months=(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    topics={
        "port": Topic(
            titles=(
                "Port of {port} lifts {goods} shipments by {pct} percent",
                "New berth opens at {port}, adding {big} tonnes of capacity",
                "Ferry queue at {port} stretches to {n} kilometres",
            ),
            sentences=(
                "The port of {port} handled {big} tonnes of {goods} cargo {in_month}, {pct} percent more than a year earlier, its operator said {on_day}.",
                "Queues of trucks waiting for the ferry at {port} stretched to {n} kilometres at the weekend, and drivers said they had waited up to {k} days.",
                "The new berth can take vessels of up to {big} deadweight tonnes and will be served by {n} mobile cranes.",
                "{person}, {role}, said the terminal would reach its design capacity by {year}.",
                "Handling charges for {goods} cargo at {port} will stay at {usd} per tonne until the end of {year}.",
                "Container traffic through {port} has grown {pct} percent since the start of the year, reaching {big} TEU.",
                "A second ferry line between {port} and {port2} is due to start {in_month}, with up to {n} sailings a month.",
                "Dredging of the approach channel to {port} should be finished {in_month} at a cost of {mln} million tenge.",
            ),
            az_titles=(
                "Azerbaijan and Kazakhstan agree joint ferry schedule for {port}",
                "Azerbaijani operator to take a stake in the {port} container terminal",
            ),
            az_sentences=(
                "Ferries from Azerbaijan now call at {port} up to {n} times a month, {person}, {role}, said.",
                "Cargo bound for Azerbaijan made up {pct} percent of the volumes handled at {port} {in_month}.",
            ),
            roles=(
                "head of the port authority",
                "chief executive of the port operator",
                "deputy transport minister",
            ),
            tags=("ports", "Caspian", "shipping"),
            section="Transport",
        ),
        "corridor": Topic(
            titles=(
                "Middle Corridor freight rises {pct} percent as new trains launch",
                "{city} to {city2} container train cuts transit to {n} days",
                "Railways agree single tariff for {goods} on the Trans-Caspian route",
            ),
            sentences=(
                "A container train that left {port} reached {city} in {n} days, {n2} days faster than the usual schedule.",
                "Freight along the Middle Corridor reached {big} tonnes {in_month}, {person}, {role}, told reporters.",
                "The railway plans to add {n} block trains a month on the route by {year}.",
                "Shippers say paperwork at the border still takes up to {n} hours for each wagon.",
                "A single electronic waybill for the route is being tested on {n} trains, the operators said {on_day}.",
                "The new logistics centre being built {in_city} will be able to handle up to {big} containers a year.",
                "Investment in the route's railways and ports is estimated at {mln} million dollars until {year}.",
            ),
            az_titles=(
                "Azerbaijan, Georgia and Kazakhstan to cut Middle Corridor transit times",
                "First container train through Azerbaijan reaches {city} in {n} days",
            ),
            az_sentences=(
                "Railway officials from Azerbaijan, Georgia and Kazakhstan met {in_city} {on_day} to agree a timetable for {year}.",
                "The trains cross the Caspian by ferry and continue through Azerbaijan and Georgia to the Black Sea ports.",
            ),
            roles=(
                "deputy transport minister",
                "logistics director of the national railway",
                "chairman of the freight forwarders' association",
            ),
            tags=("Middle Corridor", "railways", "transit"),
            section="Economy",
        ),
        "ministry": Topic(
            titles=(
                "Cabinet approves {mln} million tenge plan to repair schools",
                "Minimum pension to rise by {pct} percent from {month}",
                "Tax reporting for small firms {in_city} to be simplified",
            ),
            sentences=(
                "The cabinet approved the draft {on_day} and sent it to parliament, {person}, {role}, said.",
                "The programme will cost {mln} million tenge and is planned over {n} years.",
                "Under the new rules, companies with up to {n} employees will file tax returns once a year.",
                "The ministry has received {big} applications through its online portal {from_month}.",
                "Public hearings on the draft will be held {in_city} and {in_city2} before the end of the month.",
                "The ministry estimates that the changes will affect about {big} families in the region.",
                "The decree will take effect {n} days after its official publication, {person}, {role}, said.",
            ),
            az_titles=(
                "Kazakhstan and Azerbaijan sign {n} agreements on trade and transit",
                "Ministers of Azerbaijan and Uzbekistan discuss energy projects {in_city}",
            ),
            az_sentences=(
                "A delegation from Azerbaijan is expected {in_city} {in_month} to sign the documents.",
                "Trade with Azerbaijan grew {pct} percent in {months} months, the ministry said.",
            ),
            roles=(
                "deputy finance minister",
                "minister of national economy",
                "government spokesperson",
            ),
            tags=("government", "budget", "pensions"),
            section="Politics",
        ),
        "prices": Topic(
            titles=(
                "Bread {in_city} up {pct} percent in a month",
                "Annual inflation slows to {pct} percent",
                "Beef prices at {city} markets up {pct} percent before the holidays",
            ),
            sentences=(
                "A kilogram of beef at the central market {in_city} now costs {price}, up from {price2} a month ago.",
                "Consumer prices rose {pct} percent {in_month}, with food up {pct2} percent, the statistics bureau said.",
                "{person}, {role}, put the increase down to higher transport and fertiliser costs.",
                "Traders {in_city} said demand for flour and sugar had risen by about {pct} percent in a week.",
                "The competition agency has opened {n} cases against wholesalers over unjustified price rises.",
                "Economists expect inflation to ease to {pct} percent by the end of {year}.",
                "A litre of AI-92 petrol at filling stations {in_city} costs {price}, the highest since {year_past}.",
            ),
            az_titles=(
                "Fruit imports from Azerbaijan bring prices down {in_city}",
                "Tomatoes from Azerbaijan return to {city} markets at {price} a kilo",
            ),
            az_sentences=(
                "Traders said imports of fruit and vegetables from Azerbaijan had grown by {pct} percent.",
                "Tomatoes from Azerbaijan sell for {price} a kilogram at the wholesale market {in_city}.",
            ),
            roles=(
                "head of the national statistics bureau",
                "chair of the competition protection agency",
                "chief economist of the National Bank",
            ),
            tags=("prices", "inflation", "markets"),
            section="Economy",
        ),
        "weather": Topic(
            titles=(
                "Storm warning {in_city} as winds reach {n} metres per second",
                "Frost down to minus {temp} degrees expected {in_city}",
                "Snow closes {n} road sections near {city}",
            ),
            sentences=(
                "Forecasters expect wind gusts of up to {n} metres per second {in_city} and nearby districts {on_day}.",
                "Night temperatures will fall to minus {temp} degrees, {person}, {role}, said.",
                "The emergencies department said traffic was closed on {n} road sections and {big} homes were left without power for several hours.",
                "Drivers are advised to avoid the {city}–{city2} highway until the weekend.",
                "Up to {n} centimetres of snow fell in the mountains overnight, and the risk of avalanches remains.",
                "Schools {in_city} have switched to remote lessons for {n} days because of the frost.",
                "Waves of up to {n2} metres are expected on the Caspian coast, and ferry crossings may be delayed.",
            ),
            az_titles=(
                "Caspian storm delays ferries to Azerbaijan",
                "Ferry to Azerbaijan held at {port} for {n} hours by storm",
            ),
            az_sentences=(
                "Ferry services to Azerbaijan were suspended for {n} hours because of the storm.",
                "Forecasters in Azerbaijan also issued a storm warning for the coast {in_month}.",
            ),
            roles=(
                "duty forecaster at Kazhydromet",
                "head of the emergencies department",
                "regional forecaster",
            ),
            tags=("weather", "storm", "roads"),
            section="Society",
        ),
        "sport": Topic(
            titles=(
                "{team} beat {team2} {score} to go top",
                "{person} wins judo gold at the Asian championship {in_city}",
                "{team} appoint {person} as head coach",
            ),
            sentences=(
                "{team} beat {team2} {score} {on_day} in front of {big} fans at the central stadium {in_city}.",
                "The winning goal came after {minute} minutes from a free kick.",
                "{person} won every bout in the under-{weight} kilogram category.",
                "The team has {n} points from {k} matches and leads the table.",
                "{person}, {role}, said the squad would hold a training camp {in_city} {in_month}.",
                "Tickets for the next home match go on sale {on_day}, with the cheapest at {price}.",
                "The national federation said {n} athletes had qualified for the world championship.",
            ),
            az_titles=(
                "{team} draw {draw} with Azerbaijan's Qarabag",
                "Azerbaijan to host wrestling tournament for {n} countries",
            ),
            az_sentences=(
                "In the next round of the regional cup the team will face a club from Azerbaijan.",
                "Wrestlers from Azerbaijan won {n} medals at the tournament {in_city}.",
            ),
            roles=("head coach", "team captain", "president of the football federation"),
            tags=("football", "sport", "judo"),
            section="Sport",
        ),
    },
    generic=(
        "The decision was taken at a meeting {in_city} {on_day}.",
        "Local authorities promised to publish the details within {n} days.",
        "{person}, {role}, said the plans had been discussed with business groups {in_city}.",
        "Similar measures were in force {in_city2} in {year_past}, officials recalled.",
        "The regional administration confirmed the figures {on_day}.",
        "A working group of {n} experts has been set up to follow the work.",
        "Residents of {city} say they have waited for the change for years.",
        "The next review is planned for {month}, the statement said.",
    ),
    az_generic=(
        "Similar projects are already under way in Azerbaijan and Georgia, the agency said.",
        "The experience of Azerbaijan was cited as an example at the meeting {in_city}.",
    ),
    videos=(
        "Video: ferry leaves {port} with {n} trucks on board",
        "Watch: the streets of {city} after the snowfall",
        "Interview: {role} {person} on the new tariffs",
        "Live: government briefing on the budget for {year}",
        "Highlights: {team} v {team2}",
        "Report from the logistics centre being built {in_city}",
        "How the new berth at {port} works",
        "Explained: why bread costs more {in_city}",
        "The {city}–{city2} highway from above",
        "Market day {in_city}: what things cost",
    ),
    az_videos=(
        "Video: Azerbaijan and Kazakhstan open a new ferry line from {port}",
        "Freight train from Azerbaijan arrives in {city}",
        "Wrestlers from Azerbaijan at the championship {in_city}",
        "Ministers of Azerbaijan and Kazakhstan meet {in_city}",
        "Explained: Azerbaijan adds ferries on the {port} route",
    ),
    captions=(
        "Photo: press service of the port of {port}",
        "Photo: regional administration",
        "Illustrative photo: open sources",
        "Photo by {staff}",
    ),
    country_tag="Azerbaijan",
    ui={
        "latest": "Latest News",
        "picks": "Editor's Picks",
        "video": "Video",
        "most_read": "Most Read",
        "tags": "Tags:",
        "share": "Share this:",
        "ticker": "Breaking",
        "by": "By",
        "more": "More from",
        "rights": "All rights reserved. Reproduction only with a link to the source.",
        "address": "Editorial office: 12 Abai Avenue, Almaty",
        "subscribe": "Subscribe to our newsletter",
        "search": "Search",
        "previous": "Previous article",
        "next": "Next article",
        "partners": "From our partners",
    },
    sections=("Politics", "Economy", "Transport", "Society", "Sport", "World", "Opinion"),
    currency="tenge",
)

# ---------------------------------------------------------------------------------------------
# Russian (numbers 5–20 and multiples of 100: every noun after them takes the genitive plural)

RU_MONTHS = (
    "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
    "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
RU_MONTHS_GEN = (
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
    "октября", "ноября", "декабря",
)  # fmt: skip

RU = Language(
    code="ru",
    cities=(
        ("Актау", "в Актау"),
        ("Алматы", "в Алматы"),
        ("Астана", "в Астане"),
        ("Ташкент", "в Ташкенте"),
        ("Атырау", "в Атырау"),
        ("Шымкент", "в Шымкенте"),
        ("Караганда", "в Караганде"),
        ("Самарканд", "в Самарканде"),
        ("Бишкек", "в Бишкеке"),
        ("Тбилиси", "в Тбилиси"),
        ("Баку", "в Баку"),
        ("Туркестан", "в Туркестане"),
        ("Костанай", "в Костанае"),
        ("Павлодар", "в Павлодаре"),
        ("Жанаозен", "в Жанаозене"),
    ),
    ports=("Актау", "Курык", "Туркменбаши", "Поти", "Батуми", "Алят", "Оля"),
    people=(
        ("Ерлан Сатыбалдиев", "m"),
        ("Айгуль Нурланова", "f"),
        ("Тимур Садыков", "m"),
        ("Гульнара Бейсенова", "f"),
        ("Марат Жумабаев", "m"),
        ("Динара Касымова", "f"),
        ("Сергей Ким", "m"),
        ("Алия Жакупова", "f"),
        ("Бахтияр Исмаилов", "m"),
        ("Ольга Петренко", "f"),
    ),
    staff=("Андрей Ли", "Жанна Утегенова", "Ислам Курманов", "Виктория Шевченко"),
    goods=(
        "зерна",
        "хлопка",
        "контейнеров",
        "удобрений",
        "металлопроката",
        "подсолнечного масла",
        "нефтепродуктов",
        "муки",
    ),
    teams=(
        "«Кайрат»",
        "«Тобол»",
        "«Ордабасы»",
        "«Актобе»",
        "«Елимай»",
        "«Кызыл-Жар»",
        "«Атырау»",
        "«Жетысу»",
    ),
    on_days=(
        "в понедельник",
        "во вторник",
        "в среду",
        "в четверг",
        "в пятницу",
        "в субботу",
        "в воскресенье",
    ),
    in_months=(
        "в январе",
        "в феврале",
        "в марте",
        "в апреле",
        "в мае",
        "в июне",
        "в июле",
        "в августе",
        "в сентябре",
        "в октябре",
        "в ноябре",
        "в декабре",
    ),
    months=RU_MONTHS,
    from_months=tuple(f"с {m}" for m in RU_MONTHS_GEN),
    date_months=RU_MONTHS_GEN,
    topics={
        "port": Topic(
            titles=(
                "Порт {port} нарастил перевалку {goods} на {pct}%",
                "В порту {port} открыли новый причал на {big} тонн",
                "Очередь на паром в порту {port} растянулась на {n} км",
            ),
            sentences=(
                "В порту {port} {on_day} сообщили, что {in_month} перевалка {goods} составила {big} тонн — на {pct}% больше, чем годом ранее.",
                "По словам водителей, очередь грузовиков на паром растянулась на {n} км, ожидание занимает до {k} суток.",
                "Новый причал способен принимать суда дедвейтом до {big} тонн, его обслуживают {n} мобильных кранов.",
                "{role} {person} {v:заявил|заявила}, что терминал выйдет на проектную мощность к {year} году.",
                "Тариф на перевалку {goods} в порту {port} сохранится на уровне {usd} за тонну до конца {year} года.",
                "С начала года контейнерооборот порта {port} вырос на {pct}% и достиг {big} TEU.",
                "Вторую паромную линию между портами {port} и {port2} планируют запустить {in_month}, рейсы будут выполняться до {n} раз в месяц.",
                "Дноуглубительные работы на подходном канале к порту {port} завершат {in_month}, их стоимость оценивается в {mln} млн тенге.",
            ),
            az_titles=(
                "Азербайджан и Казахстан согласовали расписание паромов через порт {port}",
                "Азербайджанская компания войдёт в капитал терминала в порту {port}",
            ),
            az_sentences=(
                "Паромы из Азербайджана теперь заходят в порт {port} до {n} раз в месяц, {v:уточнил|уточнила} {role} {person}.",
                "На грузы, следующие в Азербайджан, {in_month} пришлось {pct}% объёма перевалки порта {port}.",
            ),
            roles=(
                "директор порта",
                "заместитель председателя правления морского торгового порта",
                "вице-министр транспорта",
            ),
            tags=("порты", "Каспий", "перевозки"),
            section="Транспорт",
        ),
        "corridor": Topic(
            titles=(
                "Объём перевозок по Среднему коридору вырос на {pct}%",
                "Контейнерный поезд {city} – {city2} прошёл маршрут за {n} суток",
                "Железнодорожники договорились о едином тарифе на перевозку {goods}",
            ),
            sentences=(
                "Контейнерный поезд, отправленный из порта {port}, прибыл на станцию {city} за {n} суток, что на {n2} суток быстрее обычного графика.",
                "{in_month} по Транскаспийскому маршруту перевезли {big} тонн грузов, {v:сообщил|сообщила} {role} {person}.",
                "До {year} года железная дорога планирует добавить {n} контейнерных поездов в месяц.",
                "Перевозчики жалуются, что оформление документов на границе по-прежнему занимает до {n} ч на один вагон.",
                "Единую электронную накладную для маршрута тестируют на {n} поездах, {on_day} сообщили операторы.",
                "Новый логистический центр {in_city} сможет обрабатывать до {big} контейнеров в год.",
                "Инвестиции в железнодорожную и портовую инфраструктуру маршрута оцениваются в {mln} млн долларов до {year} года.",
            ),
            az_titles=(
                "Азербайджан, Грузия и Казахстан сократят сроки транзита по Среднему коридору",
                "Первый контейнерный поезд через Азербайджан прибыл на станцию {city}",
            ),
            az_sentences=(
                "Представители железных дорог Азербайджана, Грузии и Казахстана {on_day} встретились {in_city}, чтобы согласовать график на {year} год.",
                "Поезда пересекают Каспий на пароме и далее следуют через Азербайджан и Грузию к портам Чёрного моря.",
            ),
            roles=(
                "вице-министр транспорта",
                "директор по логистике национальной железнодорожной компании",
                "председатель ассоциации перевозчиков",
            ),
            tags=("Средний коридор", "железная дорога", "транзит"),
            section="Экономика",
        ),
        "ministry": Topic(
            titles=(
                "Правительство одобрило программу ремонта школ стоимостью {mln} млн тенге",
                "Минимальную пенсию повысят на {pct}% {from_month}",
                "Отчётность малого бизнеса {in_city} упростят",
            ),
            sentences=(
                "Правительство одобрило проект {on_day} и направило его в парламент, {v:сообщил|сообщила} {role} {person}.",
                "Реализация программы обойдётся в {mln} млн тенге и рассчитана на {n} лет.",
                "По новым правилам предприятия с численностью до {n} сотрудников будут сдавать налоговую отчётность раз в год.",
                "{from_month} в министерство поступило {big} заявок через электронный портал.",
                "Публичные обсуждения проекта пройдут {in_city} и {in_city2} до конца месяца.",
                "По оценке ведомства, изменения коснутся около {big} семей региона.",
                "Постановление вступит в силу через {n} дней после официального опубликования, {v:уточнил|уточнила} {role} {person}.",
            ),
            az_titles=(
                "Казахстан и Азербайджан подписали {n} соглашений о торговле и транзите",
                "Министры Азербайджана и Узбекистана обсудили {in_city} энергетические проекты",
            ),
            az_sentences=(
                "Делегация Азербайджана ожидается {in_city} {in_month} для подписания документов.",
                "Товарооборот с Азербайджаном за {months} месяцев вырос на {pct}%, сообщили в министерстве.",
            ),
            roles=(
                "вице-министр финансов",
                "министр национальной экономики",
                "официальный представитель правительства",
            ),
            tags=("правительство", "бюджет", "пенсии"),
            section="Политика",
        ),
        "prices": Topic(
            titles=(
                "Хлеб {in_city} подорожал на {pct}% за месяц",
                "Годовая инфляция замедлилась до {pct}%",
                "Говядина на рынках {in_city} подорожала на {pct}% перед праздниками",
            ),
            sentences=(
                "Килограмм говядины на центральном рынке {in_city} стоит {price}, месяц назад он стоил {price2}.",
                "По данным бюро национальной статистики, {in_month} потребительские цены выросли на {pct}%, продовольственные товары подорожали на {pct2}%.",
                "{role} {person} {v:объяснил|объяснила} рост цен удорожанием перевозок и удобрений.",
                "Продавцы {in_city} отмечают, что за неделю спрос на муку и сахар вырос примерно на {pct}%.",
                "Агентство по защите конкуренции возбудило {n} дел против оптовых поставщиков из-за необоснованного роста цен.",
                "Экономисты ожидают замедления инфляции до {pct}% к концу {year} года.",
                "Литр бензина АИ-92 на заправках {in_city} стоит {price}, это максимум с {year_past} года.",
            ),
            az_titles=(
                "Импорт фруктов из Азербайджана снизил цены {in_city}",
                "Азербайджанские томаты вернулись на рынки {in_city} по {price} за килограмм",
            ),
            az_sentences=(
                "По словам торговцев, ввоз овощей и фруктов из Азербайджана вырос на {pct}%.",
                "Томаты из Азербайджана на оптовом рынке {in_city} продают по {price} за килограмм.",
            ),
            roles=(
                "руководитель бюро национальной статистики",
                "председатель агентства по защите конкуренции",
                "главный экономист Национального банка",
            ),
            tags=("цены", "инфляция", "рынки"),
            section="Экономика",
        ),
        "weather": Topic(
            titles=(
                "Штормовое предупреждение объявлено {in_city}: ветер до {n} м/с",
                "Морозы до минус {temp} градусов ожидаются {in_city}",
                "Из-за снегопада {in_city} закрыли {n} участков дорог",
            ),
            sentences=(
                "{on_day} {in_city} и прилегающих районах ожидается усиление ветра до {n} м/с.",
                "Ночью температура воздуха опустится до минус {temp} градусов, {v:сообщил|сообщила} {role} {person}.",
                "В департаменте по чрезвычайным ситуациям сообщили, что движение закрыто на {n} участках трасс, без света несколько часов оставались {big} домов.",
                "Водителям рекомендуют воздержаться от поездок по трассе {city} – {city2} до выходных.",
                "За ночь в горах выпало до {n} см снега, сохраняется лавинная опасность.",
                "Школы {in_city} на {n} дней перешли на дистанционное обучение из-за морозов.",
                "На каспийском побережье ожидается волнение моря до {n2} м, паромные переправы могут задерживаться.",
            ),
            az_titles=(
                "Шторм на Каспии задержал паромы в Азербайджан",
                "Паром в Азербайджан простоял в порту {port} {n} ч из-за шторма",
            ),
            az_sentences=(
                "Паромное сообщение с Азербайджаном было приостановлено на {n} ч из-за шторма.",
                "Синоптики Азербайджана {in_month} также объявили штормовое предупреждение для побережья.",
            ),
            roles=(
                "синоптик «Казгидромета»",
                "начальник департамента по чрезвычайным ситуациям",
                "дежурный синоптик",
            ),
            tags=("погода", "шторм", "дороги"),
            section="Общество",
        ),
        "sport": Topic(
            titles=(
                "{team} обыграл {team2} со счётом {score}",
                "{person} {v:выиграл|выиграла} золото чемпионата Азии по дзюдо {in_city}",
                "Новым главным тренером клуба {team} {v:стал|стала} {person}",
            ),
            sentences=(
                "{team} {on_day} обыграл {team2} со счётом {score}, матч на центральном стадионе {in_city} посетили {big} зрителей.",
                "Победный мяч был забит на {minute}-й минуте со штрафного удара.",
                "{person} {v:выиграл|выиграла} все схватки в весовой категории до {weight} кг.",
                "Команда набрала {n} очков в {k} матчах и возглавляет турнирную таблицу.",
                "{role} {person} {v:сообщил|сообщила}, что {in_month} команда проведёт сборы {in_city}.",
                "Билеты на следующий домашний матч поступят в продажу {on_day} по цене от {price}.",
                "В национальной федерации сообщили, что {n} спортсменов получили лицензии на чемпионат мира.",
            ),
            az_titles=(
                "{team} сыграл вничью {draw} с азербайджанским «Карабахом»",
                "Азербайджан примет турнир по борьбе с участием {n} стран",
            ),
            az_sentences=(
                "В следующем раунде регионального кубка команда сыграет с клубом из Азербайджана.",
                "Борцы из Азербайджана завоевали на турнире {in_city} {n} медалей.",
            ),
            roles=("главный тренер", "капитан команды", "президент федерации футбола"),
            tags=("футбол", "спорт", "дзюдо"),
            section="Спорт",
        ),
    },
    generic=(
        "Решение было принято на совещании {in_city} {on_day}.",
        "Подробности местные власти обещают опубликовать в течение {n} дней.",
        "{role} {person} {v:отметил|отметила}, что планы обсуждались с представителями бизнеса {in_city}.",
        "Аналогичные меры действовали {in_city2} в {year_past} году, напомнили чиновники.",
        "Данные {on_day} подтвердили в областном акимате.",
        "Для контроля за ходом работ создана рабочая группа из {n} экспертов.",
        "Опрошенные {in_city} жители говорят, что ждали этих изменений не один год.",
        "Следующий пересмотр запланирован на {month}, говорится в сообщении.",
    ),
    az_generic=(
        "Аналогичные проекты уже реализуются в Азербайджане и Грузии, отметили в ведомстве.",
        "На встрече {in_city} в качестве примера приводился опыт Азербайджана.",
    ),
    videos=(
        "Паром с {n} фурами отошёл от причала порта {port}",
        "Как выглядит {city} после снегопада",
        "Интервью: {role} {person} о новых тарифах",
        "Прямой эфир: брифинг правительства по бюджету на {year} год",
        "Обзор матча {team} – {team2}",
        "Репортаж со стройки логистического центра {in_city}",
        "Как работает новый причал в порту {port}",
        "Почему хлеб {in_city} дорожает: объясняем",
        "Трасса {city} – {city2} с высоты птичьего полёта",
        "Рыночный день {in_city}: что почём",
    ),
    az_videos=(
        "Азербайджан и Казахстан открыли новую паромную линию из порта {port}",
        "Грузовой поезд из Азербайджана прибыл на станцию {city}",
        "Борцы Азербайджана на чемпионате {in_city}",
        "Министры Азербайджана и Казахстана встретились {in_city}",
        "Азербайджан добавит паромы на линии {port} — видео",
    ),
    captions=(
        "Фото: пресс-служба порта {port}",
        "Фото: акимат области",
        "Иллюстративное фото из открытых источников",
        "Фото: {staff}",
    ),
    country_tag="Азербайджан",
    ui={
        "latest": "Лента новостей",
        "picks": "Главное",
        "video": "Видео",
        "most_read": "Самое читаемое",
        "tags": "Теги:",
        "share": "Поделиться:",
        "ticker": "Срочно",
        "by": "Автор:",
        "more": "Ещё в рубрике",
        "rights": "Все права защищены. При использовании материалов гиперссылка на сайт обязательна.",
        "address": "Адрес редакции: г. Актау, 14 мкр., д. 2, тел. +7 (7292) 50-00-00",
        "subscribe": "Подпишитесь на наш Telegram-канал",
        "search": "Поиск",
        "previous": "Предыдущая новость",
        "next": "Следующая новость",
        "partners": "Новости партнёров",
    },
    sections=("Политика", "Экономика", "Транспорт", "Общество", "Спорт", "В мире", "Мнения"),
    currency="тенге",
)

# ---------------------------------------------------------------------------------------------
# Kazakh (suffixes never follow a slot: the forms that need one are in the lists)

KK_MONTHS = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек",
    "қазан", "қараша", "желтоқсан",
)  # fmt: skip

KK = Language(
    code="kk",
    cities=(
        ("Ақтау", "Ақтауда"),
        ("Алматы", "Алматыда"),
        ("Астана", "Астанада"),
        ("Шымкент", "Шымкентте"),
        ("Атырау", "Атырауда"),
        ("Қарағанды", "Қарағандыда"),
        ("Түркістан", "Түркістанда"),
        ("Өскемен", "Өскеменде"),
        ("Қостанай", "Қостанайда"),
        ("Павлодар", "Павлодарда"),
        ("Тараз", "Таразда"),
        ("Орал", "Оралда"),
        ("Ақтөбе", "Ақтөбеде"),
        ("Жаңаөзен", "Жаңаөзенде"),
    ),
    ports=("Ақтау", "Құрық", "Түрікменбашы", "Поти", "Батуми", "Алят"),
    people=(
        ("Ерлан Сатыбалдиев", "m"),
        ("Айгүл Нұрланова", "f"),
        ("Тимур Садықов", "m"),
        ("Гүлнар Бейсенова", "f"),
        ("Марат Жұмабаев", "m"),
        ("Динара Қасымова", "f"),
        ("Бақытжан Исмаилов", "m"),
        ("Әлия Жақыпова", "f"),
        ("Нұрлан Әбенов", "m"),
        ("Сәуле Омарова", "f"),
    ),
    staff=("Айдана Серікқызы", "Қуаныш Мұхтарұлы", "Жұлдыз Әбдіқадыр", "Ғалым Тоқтаров"),
    goods=(
        "астық",
        "мақта",
        "контейнер",
        "тыңайтқыш",
        "металл прокаты",
        "күнбағыс майы",
        "мұнай өнімдері",
        "ұн",
    ),
    teams=(
        "«Қайрат»",
        "«Тобыл»",
        "«Ордабасы»",
        "«Ақтөбе»",
        "«Елімай»",
        "«Қызылжар»",
        "«Атырау»",
        "«Жетісу»",
    ),
    on_days=(
        "дүйсенбі күні",
        "сейсенбі күні",
        "сәрсенбі күні",
        "бейсенбі күні",
        "жұма күні",
        "сенбі күні",
        "жексенбі күні",
    ),
    in_months=(
        "қаңтарда",
        "ақпанда",
        "наурызда",
        "сәуірде",
        "мамырда",
        "маусымда",
        "шілдеде",
        "тамызда",
        "қыркүйекте",
        "қазанда",
        "қарашада",
        "желтоқсанда",
    ),
    months=KK_MONTHS,
    from_months=tuple(f"{m} айынан бері" for m in KK_MONTHS),
    date_months=KK_MONTHS,
    topics={
        "port": Topic(
            titles=(
                "{port} порты {goods} ауыстырып тиеуді {pct} пайызға арттырды",
                "{port} портында {big} тоннаға арналған жаңа айлақ ашылды",
                "{port} портында паромға кезек {n} шақырымға созылды",
            ),
            sentences=(
                "{port} портының мәліметінше, {in_month} {goods} ауыстырып тиеу көлемі {big} тоннаға жетті, бұл өткен жылмен салыстырғанда {pct} пайызға көп.",
                "Жүргізушілердің айтуынша, паромға кезекте тұрған жүк көліктерінің тізбегі {n} шақырымға созылған, күту {k} тәулікке дейін созылады.",
                "Жаңа айлақ дедвейті {big} тоннаға дейінгі кемелерді қабылдай алады, оған {n} жылжымалы кран қызмет көрсетеді.",
                "{role} {person} терминал {year} жылға қарай жобалық қуатына шығатынын мәлімдеді.",
                "{port} портында {goods} ауыстырып тиеу тарифі {year} жылдың соңына дейін бір тонна үшін {usd} деңгейінде сақталады.",
                "Жыл басынан бері {port} портының контейнер айналымы {pct} пайызға өсіп, {big} TEU көлеміне жетті.",
                "{port} және {port2} порттары арасындағы екінші паром желісі {in_month} іске қосылады, рейстер айына {n} ретке дейін орындалады.",
                "{port} портына кіре берістегі арнаны тереңдету жұмыстары {in_month} аяқталады, оның құны {mln} млн теңге деп бағаланады.",
            ),
            az_titles=(
                "Қазақстан мен Әзірбайжан {port} порты арқылы өтетін паромдар кестесін келісті",
                "Әзірбайжан компаниясы {port} портындағы терминалдың үлескері болады",
            ),
            az_sentences=(
                "{role} {person} Әзірбайжаннан келетін паромдар енді {port} портына айына {n} ретке дейін кіретінін нақтылады.",
                "{in_month} {port} портындағы жүктердің {pct} пайызы Әзірбайжанға жөнелтілді.",
            ),
            roles=(
                "порт директоры",
                "теңіз сауда порты басқармасы төрағасының орынбасары",
                "көлік вице-министрі",
            ),
            tags=("порттар", "Каспий", "тасымал"),
            section="Көлік",
        ),
        "corridor": Topic(
            titles=(
                "Орта дәліз бойынша жүк тасымалы {pct} пайызға өсті",
                "{city} – {city2} контейнер пойызы жолды {n} тәулікте жүріп өтті",
                "Темір жолшылар {goods} тасымалына бірыңғай тариф келісті",
            ),
            sentences=(
                "{port} портынан жөнелтілген контейнер пойызы {city} бекетіне {n} тәулікте жетті, бұл әдеттегі кестеден {n2} тәулік жылдам.",
                "{in_month} Транскаспий маршруты бойынша {big} тонна жүк тасымалданды, деп хабарлады {role} {person}.",
                "Темір жол {year} жылға дейін айына {n} контейнер пойызын қосуды жоспарлап отыр.",
                "Тасымалдаушылардың айтуынша, шекарада бір вагонға құжат рәсімдеу әлі де {n} сағатқа дейін созылады.",
                "{on_day} операторлар маршрутқа арналған бірыңғай электрондық жүкқұжат {n} пойызда сынақтан өтіп жатқанын хабарлады.",
                "{in_city} салынып жатқан жаңа логистикалық орталық жылына {big} контейнерге дейін өңдей алады.",
                "Маршруттың темір жол және порт инфрақұрылымына {year} жылға дейін {mln} млн доллар инвестиция салу көзделген.",
            ),
            az_titles=(
                "Әзірбайжан, Грузия және Қазақстан Орта дәліз бойынша транзит мерзімін қысқартады",
                "Әзірбайжан арқылы өткен алғашқы контейнер пойызы {city} бекетіне жетті",
            ),
            az_sentences=(
                "Әзірбайжан, Грузия және Қазақстан темір жолдарының өкілдері {on_day} {in_city} бас қосып, {year} жылғы кестені келісті.",
                "Пойыздар Каспийден паром арқылы өтіп, әрі қарай Әзірбайжан мен Грузия арқылы Қара теңіз порттарына жетеді.",
            ),
            roles=(
                "көлік вице-министрі",
                "ұлттық темір жол компаниясының логистика жөніндегі директоры",
                "тасымалдаушылар қауымдастығының төрағасы",
            ),
            tags=("Орта дәліз", "темір жол", "транзит"),
            section="Экономика",
        ),
        "ministry": Topic(
            titles=(
                "Үкімет құны {mln} млн теңге болатын мектептерді жөндеу бағдарламасын мақұлдады",
                "Ең төменгі зейнетақы {month} айынан бастап {pct} пайызға өседі",
                "{in_city} шағын бизнестің салық есептілігі жеңілдейді",
            ),
            sentences=(
                "Үкімет {on_day} жобаны мақұлдап, оны парламентке жолдады, деп хабарлады {role} {person}.",
                "Бағдарламаны іске асыруға {mln} млн теңге жұмсалады, ол {n} жылға есептелген.",
                "Жаңа ережеге сәйкес қызметкерлер саны {n} адамға дейінгі кәсіпорындар салық есебін жылына бір рет тапсырады.",
                "{from_month} министрлікке электрондық портал арқылы {big} өтінім түсті.",
                "Жоба бойынша қоғамдық талқылаулар ай соңына дейін {in_city} және {in_city2} өтеді.",
                "Министрліктің бағалауынша, өзгерістер өңірдегі {big} отбасына әсер етеді.",
                "Қаулы ресми жарияланғаннан кейін {n} күн өткен соң күшіне енеді, деп нақтылады {role} {person}.",
            ),
            az_titles=(
                "Қазақстан мен Әзірбайжан сауда және транзит бойынша {n} келісімге қол қойды",
                "Әзірбайжан мен Өзбекстан министрлері {in_city} энергетика жобаларын талқылады",
            ),
            az_sentences=(
                "Әзірбайжан делегациясы құжаттарға қол қою үшін {in_month} {city} қаласына келеді деп күтілуде.",
                "Әзірбайжанмен тауар айналымы {months} айда {pct} пайызға өсті, деп хабарлады министрлік.",
            ),
            roles=("қаржы вице-министрі", "ұлттық экономика министрі", "үкіметтің ресми өкілі"),
            tags=("үкімет", "бюджет", "зейнетақы"),
            section="Саясат",
        ),
        "prices": Topic(
            titles=(
                "{in_city} нан бір айда {pct} пайызға қымбаттады",
                "Жылдық инфляция {pct} пайызға дейін баяулады",
                "{city} базарларында сиыр еті мерекелер алдында {pct} пайызға қымбаттады",
            ),
            sentences=(
                "{city} орталық базарында бір келі сиыр еті {price} тұрады, бір ай бұрын оның бағасы {price2} болған.",
                "Ұлттық статистика бюросының дерегінше, {in_month} тұтыну бағасы {pct} пайызға, азық-түлік {pct2} пайызға қымбаттаған.",
                "{role} {person} бағаның өсуін тасымал мен тыңайтқыш құнының қымбаттауымен түсіндірді.",
                "{city} саудагерлерінің айтуынша, бір аптада ұн мен қантқа сұраныс шамамен {pct} пайызға артқан.",
                "Бәсекелестікті қорғау агенттігі бағаны негізсіз көтерген көтерме жеткізушілерге қатысты {n} іс қозғады.",
                "Экономистер {year} жылдың соңына қарай инфляция {pct} пайызға дейін баяулайды деп күтеді.",
                "{city} жанармай құю бекеттерінде АИ-92 бензинінің бір литрі {price} тұрады, бұл {year_past} жылдан бергі ең жоғары баға.",
            ),
            az_titles=(
                "Әзірбайжаннан жеміс импорты {in_city} бағаны төмендетті",
                "Әзірбайжан қызанағы {city} базарларына оралды: бір келісі {price}",
            ),
            az_sentences=(
                "Саудагерлердің айтуынша, Әзірбайжаннан көкөніс пен жеміс әкелу {pct} пайызға өскен.",
                "{city} көтерме базарында Әзірбайжан қызанағының бір келісі {price} тұрады.",
            ),
            roles=(
                "ұлттық статистика бюросының басшысы",
                "бәсекелестікті қорғау агенттігінің төрағасы",
                "Ұлттық банктің бас экономисі",
            ),
            tags=("баға", "инфляция", "базар"),
            section="Экономика",
        ),
        "weather": Topic(
            titles=(
                "{in_city} дауылды ескерту жарияланды: жел екпіні секундына {n} метрге дейін",
                "{in_city} аяз минус {temp} градусқа дейін күшейеді",
                "Қар жауып, {city} маңындағы {n} жол учаскесі жабылды",
            ),
            sentences=(
                "{on_day} {city} және оған іргелес аудандарда жел екпіні секундына {n} метрге дейін күшейеді.",
                "Түнде ауа температурасы минус {temp} градусқа дейін төмендейді, деп хабарлады {role} {person}.",
                "Төтенше жағдайлар департаменті {n} жол учаскесінде қозғалыс жабылғанын, {big} үй бірнеше сағат жарықсыз қалғанын хабарлады.",
                "Жүргізушілерге демалыс күндеріне дейін {city} – {city2} тасжолымен жүрмеу ұсынылады.",
                "Түнде тауларға {n} сантиметрге дейін қар түсті, қар көшкіні қаупі сақталып отыр.",
                "Аязға байланысты {city} мектептері {n} күнге қашықтан оқытуға көшті.",
                "Каспий жағалауында теңіз толқыны {n2} метрге дейін жетеді, паром қатынасы кешігуі мүмкін.",
            ),
            az_titles=(
                "Каспийдегі дауыл Әзірбайжанға баратын паромдарды кешіктірді",
                "Әзірбайжанға бет алған паром дауылға байланысты {port} портында {n} сағат тұрып қалды",
            ),
            az_sentences=(
                "Дауылға байланысты Әзірбайжанмен паром қатынасы {n} сағатқа тоқтатылды.",
                "Әзірбайжан синоптиктері де {in_month} жағалауға дауылды ескерту жариялады.",
            ),
            roles=(
                "«Қазгидромет» синоптигі",
                "төтенше жағдайлар департаментінің бастығы",
                "кезекші синоптик",
            ),
            tags=("ауа райы", "дауыл", "жол"),
            section="Қоғам",
        ),
        "sport": Topic(
            titles=(
                "{team} {team2} командасын {score} есебімен жеңді",
                "{person} {in_city} өткен дзюдодан Азия чемпионатында алтын алды",
                "{team} клубының жаңа бас бапкері – {person}",
            ),
            sentences=(
                "{on_day} {team} {city} орталық стадионында {team2} командасын {score} есебімен ұтты, ойынды {big} көрермен тамашалады.",
                "Жеңісті гол {minute}-минутта айып добынан соғылды.",
                "{person} {weight} келіге дейінгі салмақ дәрежесінде барлық белдесуде жеңіске жетті.",
                "Команда {k} ойында {n} ұпай жинап, турнир кестесін бастап тұр.",
                "{role} {person} команда {in_month} {in_city} оқу-жаттығу жиынын өткізетінін айтты.",
                "Келесі үй ойынына билеттер {on_day} сатылымға шығады, ең арзан билет {price} тұрады.",
                "Ұлттық федерация {n} спортшы әлем чемпионатына жолдама алғанын хабарлады.",
            ),
            az_titles=(
                "{team} әзірбайжандық «Қарабағ» командасымен {draw} есебімен тең түсті",
                "Әзірбайжан {n} ел қатысатын күрес турнирін қабылдайды",
            ),
            az_sentences=(
                "Аймақтық кубоктың келесі кезеңінде команда Әзірбайжан клубымен кездеседі.",
                "Әзірбайжан балуандары {in_city} өткен турнирде {n} медаль жеңіп алды.",
            ),
            roles=("бас бапкер", "команда капитаны", "футбол федерациясының президенті"),
            tags=("футбол", "спорт", "дзюдо"),
            section="Спорт",
        ),
    },
    generic=(
        "Шешім {on_day} {in_city} өткен кеңесте қабылданды.",
        "Жергілікті билік толық ақпаратты {n} күн ішінде жариялауға уәде берді.",
        "{role} {person} жоспарлар {city} бизнес өкілдерімен талқыланғанын атап өтті.",
        "Шенеуніктердің еске салуынша, осындай шаралар {year_past} жылы {in_city2} қолданылған.",
        "Деректерді {on_day} облыс әкімдігі растады.",
        "Жұмыстың барысын бақылау үшін {n} сарапшыдан тұратын жұмыс тобы құрылды.",
        "{city} тұрғындары бұл өзгерісті бірнеше жыл бойы күткендерін айтады.",
        "Келесі қайта қарау {month} айына жоспарланған, делінген хабарламада.",
    ),
    az_generic=(
        "Министрліктің айтуынша, осындай жобалар Әзірбайжан мен Грузияда іске асырылып жатыр.",
        "{in_city} өткен кездесуде Әзірбайжан тәжірибесі үлгі ретінде келтірілді.",
    ),
    videos=(
        "Бейне: {n} жүк көлігін тиеген паром {port} портынан шықты",
        "Қар жауғаннан кейінгі {city} көшелері",
        "Сұхбат: {role} {person} жаңа тарифтер туралы",
        "Тікелей эфир: үкіметтің {year} жылғы бюджет бойынша брифингі",
        "{team} – {team2} ойынына шолу",
        "{in_city} салынып жатқан логистикалық орталықтан репортаж",
        "{port} портындағы жаңа айлақ қалай жұмыс істейді",
        "Түсіндіреміз: {in_city} нан неге қымбаттап жатыр",
        "{city} – {city2} тасжолы биіктен",
        "{city} базарындағы бағалар: бейнешолу",
    ),
    az_videos=(
        "Бейне: Әзірбайжан мен Қазақстан {port} портынан жаңа паром желісін ашты",
        "Әзірбайжаннан шыққан жүк пойызы {city} бекетіне жетті",
        "Әзірбайжан балуандары {in_city} өткен чемпионатта",
        "Әзірбайжан мен Қазақстан министрлері {in_city} кездесті",
        "Бейнешолу: Әзірбайжан {port} бағытындағы паромдар санын арттырады",
    ),
    captions=(
        "Фото: {port} портының баспасөз қызметі",
        "Фото: облыс әкімдігі",
        "Көрнекі сурет ашық дереккөздерден алынды",
        "Фото: {staff}",
    ),
    country_tag="Әзірбайжан",
    ui={
        "latest": "Соңғы жаңалықтар",
        "picks": "Басты жаңалықтар",
        "video": "Бейне",
        "most_read": "Ең көп оқылған",
        "tags": "Тегтер:",
        "share": "Бөлісу:",
        "ticker": "Шұғыл",
        "by": "Авторы:",
        "more": "Тағы да",
        "rights": "Материалдарды пайдаланғанда сайтқа гиперсілтеме міндетті.",
        "address": "Мекенжайы: Астана қ., Мәңгілік Ел даңғылы, 8. Куәлік № 16742-АА",
        "subscribe": "Telegram арнамызға жазылыңыз",
        "search": "Іздеу",
        "previous": "Алдыңғы жаңалық",
        "next": "Келесі жаңалық",
        "partners": "Серіктестер жаңалықтары",
    },
    sections=("Саясат", "Экономика", "Көлік", "Қоғам", "Спорт", "Әлем", "Пікір"),
    currency="теңге",
)

# ---------------------------------------------------------------------------------------------
# Uzbek, Latin script (oʻ gʻ with U+02BB, the tutuq belgisi U+02BC)

UZ_MONTHS = (
    "yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentyabr", "oktyabr",
    "noyabr", "dekabr",
)  # fmt: skip

UZ = Language(
    code="uz",
    cities=tuple(
        (c, f"{c}da")
        for c in (
            "Toshkent",
            "Samarqand",
            "Buxoro",
            "Namangan",
            "Andijon",
            "Qarshi",
            "Nukus",
            "Fargʻona",
            "Termiz",
            "Navoiy",
            "Xiva",
            "Urganch",
            "Jizzax",
            "Guliston",
        )
    ),
    ports=("Oqtov", "Quriq", "Turkmanboshi", "Poti", "Batumi", "Boku"),
    people=(
        ("Jamshid Xoʻjayev", "m"),
        ("Dilnoza Rahimova", "f"),
        ("Bahodir Karimov", "m"),
        ("Nodira Yusupova", "f"),
        ("Sardor Ergashev", "m"),
        ("Gulnora Ismoilova", "f"),
        ("Otabek Tursunov", "m"),
        ("Malika Saidova", "f"),
        ("Aziz Normatov", "m"),
        ("Shahnoza Qodirova", "f"),
    ),
    staff=("Feruza Aliyeva", "Ulugʻbek Rasulov", "Kamola Nazarova", "Doniyor Xolmatov"),
    goods=(
        "gʻalla",
        "paxta",
        "konteyner",
        "oʻgʻit",
        "metall prokat",
        "kungaboqar yogʻi",
        "neft mahsulotlari",
        "un",
    ),
    teams=(
        "«Paxtakor»",
        "«Navbahor»",
        "«Nasaf»",
        "«Bunyodkor»",
        "«Soʻgʻdiyona»",
        "«Andijon»",
        "«Neftchi»",
        "«Qizilqum»",
    ),
    on_days=(
        "dushanba kuni",
        "seshanba kuni",
        "chorshanba kuni",
        "payshanba kuni",
        "juma kuni",
        "shanba kuni",
        "yakshanba kuni",
    ),
    in_months=tuple(f"{m}da" for m in UZ_MONTHS),
    months=UZ_MONTHS,
    from_months=tuple(f"{m}dan buyon" for m in UZ_MONTHS),
    date_months=UZ_MONTHS,
    topics={
        "port": Topic(
            titles=(
                "{port} portida {goods} yuklash hajmi {pct} foizga oshdi",
                "{port} portida {big} tonnalik yangi prichal ochildi",
                "{port} portida paromga navbat {n} kilometrga choʻzildi",
            ),
            sentences=(
                "{port} porti maʼlumotiga koʻra, {in_month} {goods} yuklash hajmi {big} tonnaga yetdi.",
                "Haydovchilar aytishicha, paromga navbat {n} kilometrga choʻzilgan, kutish {k} sutkagacha davom etmoqda.",
                "Yangi prichal dedveyti {big} tonnagacha boʻlgan kemalarni qabul qila oladi.",
                "{role} {person} terminal {year} yilga borib loyiha quvvatiga chiqishini maʼlum qildi.",
                "{port} portida {goods} yuklash tarifi {year} yil oxirigacha tonnasiga {usd} boʻlib qoladi.",
                "Yil boshidan buyon {port} portining konteyner aylanmasi {pct} foizga oʻsdi.",
                "{port} va {port2} portlari oʻrtasidagi ikkinchi parom liniyasi {in_month} ishga tushadi.",
                "{port} portiga kirish kanalini chuqurlashtirish {in_month} yakunlanadi, uning qiymati {mln} mln dollar.",
            ),
            az_titles=(
                "Ozarbayjon va Qozogʻiston {port} porti orqali paromlar jadvalini kelishib oldi",
                "Ozarbayjon kompaniyasi {port} portidagi terminal ulushini sotib oladi",
            ),
            az_sentences=(
                "Ozarbayjondan keladigan paromlar endi {port} portiga oyiga {n} martagacha kiradi.",
                "{in_month} {port} portidagi yuklarning {pct} foizi Ozarbayjonga joʻnatildi.",
            ),
            roles=(
                "port rahbari",
                "port operatori boshqaruvi raisining oʻrinbosari",
                "transport vaziri oʻrinbosari",
            ),
            tags=("portlar", "Kaspiy", "tashish"),
            section="Transport",
        ),
        "corridor": Topic(
            titles=(
                "Oʻrta yoʻlak orqali yuk tashish hajmi {pct} foizga oshdi",
                "{city} – {city2} konteyner poyezdi yoʻlni {n} sutkada bosib oʻtdi",
                "Temiryoʻlchilar {goods} tashish uchun yagona tarifni kelishib oldi",
            ),
            sentences=(
                "{port} portidan joʻnatilgan konteyner poyezdi {city} stansiyasiga {n} sutkada yetib keldi.",
                "{in_month} Transkaspiy yoʻnalishi orqali {big} tonna yuk tashildi, dedi {role} {person}.",
                "Temir yoʻl {year} yilgacha oyiga {n} ta konteyner poyezdini qoʻshishni rejalashtirmoqda.",
                "Tashuvchilarga koʻra, chegarada bir vagon hujjatlari hali ham {n} soatgacha rasmiylashtiriladi.",
                "Yoʻnalish uchun yagona elektron yuk xati {n} ta poyezdda sinovdan oʻtkazilmoqda.",
                "{in_city} qurilayotgan logistika markazi yiliga {big} tagacha konteynerga xizmat koʻrsatadi.",
                "Yoʻnalish infratuzilmasiga {year} yilgacha {mln} mln dollar sarmoya kiritiladi.",
            ),
            az_titles=(
                "Ozarbayjon, Gruziya va Qozogʻiston Oʻrta yoʻlakda tranzit muddatini qisqartiradi",
                "Ozarbayjon orqali oʻtgan birinchi konteyner poyezdi {city} stansiyasiga yetib keldi",
            ),
            az_sentences=(
                "Ozarbayjon, Gruziya va Qozogʻiston temir yoʻllari vakillari {on_day} {in_city} uchrashdi.",
                "Poyezdlar Kaspiydan parom orqali oʻtib, Ozarbayjon va Gruziya orqali Qora dengizga yetadi.",
            ),
            roles=(
                "transport vaziri oʻrinbosari",
                "«Oʻzbekiston temir yoʻllari» AJ logistika direktori",
                "xalqaro tashuvchilar uyushmasi raisi",
            ),
            tags=("Oʻrta yoʻlak", "temir yoʻl", "tranzit"),
            section="Iqtisodiyot",
        ),
        "ministry": Topic(
            titles=(
                "Hukumat {mln} mlrd soʻmlik maktablarni taʼmirlash dasturini maʼqulladi",
                "Eng kam pensiya {month}dan {pct} foizga oshiriladi",
                "{in_city} kichik biznes uchun soliq hisobotlari soddalashtiriladi",
            ),
            sentences=(
                "Hukumat {on_day} loyihani maʼqullab, uni parlamentga yubordi, dedi {role} {person}.",
                "Dasturga {mln} mlrd soʻm sarflanadi, u {n} yilga moʻljallangan.",
                "Yangi qoidaga koʻra, {n} nafargacha xodimi bor korxonalar hisobotni yiliga bir marta topshiradi.",
                "{from_month} vazirlikka elektron portal orqali {big} ta ariza kelib tushdi.",
                "Loyiha muhokamalari oy oxirigacha {in_city} va {in_city2} oʻtkaziladi.",
                "Vazirlik hisobiga koʻra, oʻzgarishlar viloyatdagi {big} ta oilaga taʼsir qiladi.",
                "Qaror eʼlon qilinganidan {n} kun oʻtib kuchga kiradi, dedi {role} {person}.",
            ),
            az_titles=(
                "Oʻzbekiston va Ozarbayjon savdo va tranzit boʻyicha {n} ta hujjat imzoladi",
                "Ozarbayjon va Oʻzbekiston vazirlari {in_city} energetika loyihalarini muhokama qildi",
            ),
            az_sentences=(
                "Ozarbayjon delegatsiyasi hujjatlarni imzolash uchun {in_month} {city}ga keladi.",
                "Ozarbayjon bilan tovar aylanmasi {months} oyda {pct} foizga oshdi.",
            ),
            roles=(
                "iqtisodiyot va moliya vaziri oʻrinbosari",
                "hukumat matbuot kotibi",
                "vazirlik matbuot xizmati rahbari",
            ),
            tags=("hukumat", "budjet", "pensiya"),
            section="Siyosat",
        ),
        "prices": Topic(
            titles=(
                "{in_city} non bir oyda {pct} foizga qimmatladi",
                "Yillik inflyatsiya {pct} foizgacha sekinlashdi",
                "{city} bozorlarida mol goʻshti bayram oldidan {pct} foizga qimmatladi",
            ),
            sentences=(
                "{city} markaziy bozorida bir kilogramm mol goʻshti {price} turadi, bir oy oldin {price2} edi.",
                "Statistika agentligiga koʻra, {in_month} narxlar {pct} foizga, oziq-ovqat {pct2} foizga oshgan.",
                "{role} {person} narxlar oshishini transport va oʻgʻit qimmatlashgani bilan izohladi.",
                "{city}lik sotuvchilar bir haftada un va shakarga talab {pct} foizga oshganini aytmoqda.",
                "Raqobat qoʻmitasi narxni asossiz oshirgan ulgurji sotuvchilarga nisbatan {n} ta ish qoʻzgʻadi.",
                "Iqtisodchilar {year} yil oxirida inflyatsiya {pct} foizgacha sekinlashishini kutmoqda.",
                "{city} shoxobchalarida AI-92 benzinining bir litri {price} turadi.",
            ),
            az_titles=(
                "Ozarbayjondan meva importi {in_city} narxlarni pasaytirdi",
                "Ozarbayjon pomidori {city} bozorlariga qaytdi: kilosi {price}",
            ),
            az_sentences=(
                "Sotuvchilarga koʻra, Ozarbayjondan meva-sabzavot olib kelish {pct} foizga oshgan.",
                "{city} ulgurji bozorida Ozarbayjon pomidori kilosi {price}dan sotilmoqda.",
            ),
            roles=(
                "Statistika agentligi boshligʻi",
                "Raqobatni rivojlantirish qoʻmitasi raisi",
                "Markaziy bank bosh iqtisodchisi",
            ),
            tags=("narxlar", "inflyatsiya", "bozor"),
            section="Iqtisodiyot",
        ),
        "weather": Topic(
            titles=(
                "{in_city} kuchli shamol: sekundiga {n} metrgacha",
                "{in_city} sovuq minus {temp} darajagacha kuchayadi",
                "Qor tufayli {city} atrofidagi {n} ta yoʻl uchastkasi yopildi",
            ),
            sentences=(
                "{on_day} {city} va unga tutash tumanlarda shamol sekundiga {n} metrgacha kuchayadi.",
                "Tunda havo harorati minus {temp} darajagacha pasayadi, dedi {role} {person}.",
                "Favqulodda vaziyatlar boshqarmasiga koʻra, {big} ta xonadon bir necha soat elektrsiz qoldi.",
                "Haydovchilarga dam olish kunlarigacha {city} – {city2} yoʻlidan foydalanmaslik tavsiya etiladi.",
                "Tunda togʻlarga {n} santimetrgacha qor yogʻdi, qor koʻchkisi xavfi saqlanmoqda.",
                "Sovuq tufayli {city} maktablari {n} kunga masofaviy taʼlimga oʻtdi.",
                "Orol boʻyida chang boʻroni kutilmoqda, koʻrinish {n2} kilometrgacha pasayishi mumkin.",
            ),
            az_titles=(
                "Kaspiydagi boʻron Ozarbayjonga ketayotgan paromlarni kechiktirdi",
                "Ozarbayjonga yoʻl olgan parom {port} portida {n} soat turib qoldi",
            ),
            az_sentences=(
                "Boʻron sababli Ozarbayjon bilan parom qatnovi {n} soatga toʻxtatildi.",
                "Ozarbayjon sinoptiklari ham {in_month} qirgʻoq uchun ogohlantirish eʼlon qildi.",
            ),
            roles=(
                "Oʻzgidromet navbatchi sinoptigi",
                "Favqulodda vaziyatlar boshqarmasi boshligʻi",
                "sinoptik",
            ),
            tags=("ob-havo", "shamol", "yoʻllar"),
            section="Jamiyat",
        ),
        "sport": Topic(
            titles=(
                "{team} {team2}ni {score} hisobida magʻlub etdi",
                "{person} {in_city} dzyudo boʻyicha Osiyo chempionatida oltin oldi",
                "{team} yangi bosh murabbiy tayinladi: {person}",
            ),
            sentences=(
                "{on_day} {team} {city} markaziy stadionida {team2}ni {score} hisobida yutdi.",
                "Gʻalaba goli {minute}-daqiqada jarima zarbasidan kiritildi.",
                "{person} {weight} kilogrammgacha vazn toifasida barcha bellashuvlarda gʻolib chiqdi.",
                "Jamoa {k} oʻyinda {n} ochko toʻplab, jadvalda yetakchilik qilmoqda.",
                "{role} {person} jamoa {in_month} {in_city} yigʻin oʻtkazishini aytdi.",
                "Navbatdagi uy oʻyiniga chiptalar {on_day} sotuvga chiqadi, eng arzoni {price}.",
                "Milliy federatsiyaga koʻra, {n} nafar sportchi jahon chempionatiga yoʻllanma oldi.",
            ),
            az_titles=(
                "{team} ozarbayjonning «Qarabogʻ» jamoasi bilan {draw} hisobida durang oʻynadi",
                "Ozarbayjon {n} ta davlat ishtirokidagi kurash turnirini qabul qiladi",
            ),
            az_sentences=(
                "Kubokning navbatdagi bosqichida jamoa Ozarbayjon klubi bilan uchrashadi.",
                "Ozarbayjon kurashchilari {in_city} turnirda {n} ta medal qoʻlga kiritdi.",
            ),
            roles=("bosh murabbiy", "jamoa sardori", "Futbol assotsiatsiyasi prezidenti"),
            tags=("futbol", "sport", "dzyudo"),
            section="Sport",
        ),
    },
    generic=(
        "Qaror {on_day} {in_city} boʻlib oʻtgan yigʻilishda qabul qilindi.",
        "Hokimiyat batafsil maʼlumotni {n} kun ichida eʼlon qilishni vaʼda qildi.",
        "{role} {person} rejalar {city}lik tadbirkorlar bilan muhokama qilinganini aytdi.",
        "Shunga oʻxshash choralar {year_past} yilda {in_city2} ham qoʻllanilgan.",
        "Maʼlumotlarni {on_day} viloyat hokimligi tasdiqladi.",
        "Ishlarni nazorat qilish uchun {n} nafar mutaxassisdan iborat guruh tuzildi.",
        "{city} aholisi bu oʻzgarishni bir necha yildan beri kutganini aytmoqda.",
        "Navbatdagi koʻrib chiqish {month} oyiga rejalashtirilgan.",
    ),
    az_generic=(
        "Idoraga koʻra, shunga oʻxshash loyihalar Ozarbayjon va Gruziyada ham amalga oshirilmoqda.",
        "{in_city} uchrashuvda Ozarbayjon tajribasi namuna sifatida keltirildi.",
    ),
    videos=(
        "Video: {n} ta yuk mashinasi ortilgan parom {port} portidan joʻnadi",
        "Qordan keyingi {city} koʻchalari",
        "Intervyu: {role} {person} yangi tariflar haqida",
        "Jonli efir: hukumatning {year} yilgi budjet boʻyicha brifingi",
        "{team} – {team2} oʻyini sharhi",
        "{in_city} qurilayotgan logistika markazidan reportaj",
        "{port} portidagi yangi prichal qanday ishlaydi",
        "Tushuntiramiz: {in_city} non nega qimmatlamoqda",
        "{city} – {city2} avtomagistrali yuqoridan",
        "{city} bozoridagi narxlar: videosharh",
    ),
    az_videos=(
        "Video: Ozarbayjon va Qozogʻiston {port} portidan yangi parom yoʻnalishini ochdi",
        "Ozarbayjondan chiqqan yuk poyezdi {city} stansiyasiga yetib keldi",
        "Ozarbayjon kurashchilari {in_city} boʻlib oʻtgan chempionatda",
        "Ozarbayjon va Oʻzbekiston vazirlari {in_city} uchrashdi",
        "Videosharh: Ozarbayjon {port} yoʻnalishida paromlar sonini oshiradi",
    ),
    captions=("Foto: {staff}", "Foto: viloyat hokimligi matbuot xizmati"),
    country_tag="Ozarbayjon",
    ui={
        "latest": "So‘nggi yangiliklar",
        "picks": "Muharrir tanlovi",
        "video": "Video",
        "most_read": "Ko‘p o‘qilganlar",
        "tags": "Teglar:",
        "share": "Ulashish:",
        "ticker": "Tezkor",
        "by": "Muallif:",
        "more": "Yana",
        "rights": "Barcha huquqlar himoyalangan. Materiallardan foydalanilganda havola shart.",
        "address": "Manzil: Toshkent sh., Amir Temur koʻchasi, 15. OAV guvohnomasi № 1289",
        "subscribe": "Telegram kanalimizga obuna boʻling",
        "search": "Qidiruv",
        "previous": "Oldingi yangilik",
        "next": "Keyingi yangilik",
        "partners": "Hamkorlar yangiliklari",
    },
    sections=("Siyosat", "Iqtisodiyot", "Transport", "Jamiyat", "Sport", "Dunyo", "Fikr"),
    currency="soʻm",
)

# ---------------------------------------------------------------------------------------------
# Azerbaijani (years and minutes carry their ordinal suffix: 2028-ci, 2029-cu)

AZ_MONTHS = (
    "yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr", "oktyabr",
    "noyabr", "dekabr",
)  # fmt: skip

AZ = Language(
    code="az",
    cities=(
        ("Bakı", "Bakıda"),
        ("Gəncə", "Gəncədə"),
        ("Sumqayıt", "Sumqayıtda"),
        ("Lənkəran", "Lənkəranda"),
        ("Şəki", "Şəkidə"),
        ("Mingəçevir", "Mingəçevirdə"),
        ("Naxçıvan", "Naxçıvanda"),
        ("Quba", "Qubada"),
        ("Şirvan", "Şirvanda"),
        ("Şamaxı", "Şamaxıda"),
        ("Qəbələ", "Qəbələdə"),
        ("Xaçmaz", "Xaçmazda"),
        ("Ağdam", "Ağdamda"),
        ("Füzuli", "Füzulidə"),
    ),
    ports=("Ələt", "Aktau", "Kurık", "Türkmənbaşı", "Poti", "Batumi"),
    people=(
        ("Elçin Məmmədov", "m"),
        ("Günel Həsənova", "f"),
        ("Rauf Əliyev", "m"),
        ("Səbinə Quliyeva", "f"),
        ("Orxan Hüseynov", "m"),
        ("Nigar İsmayılova", "f"),
        ("Tural Babayev", "m"),
        ("Aynur Kərimova", "f"),
        ("Vüqar Rəhimov", "m"),
        ("Leyla Nəsirova", "f"),
    ),
    staff=("Fərid Qasımov", "Ülviyyə Şükürova", "Kamran Əhmədli", "Səidə Mirzəyeva"),
    goods=(
        "taxıl",
        "pambıq",
        "konteyner",
        "gübrə",
        "metal prokatı",
        "günəbaxan yağı",
        "neft məhsulları",
        "un",
    ),
    teams=(
        "«Qarabağ»",
        "«Neftçi»",
        "«Sabah»",
        "«Zirə»",
        "«Turan Tovuz»",
        "«Kəpəz»",
        "«Səbail»",
        "«Araz-Naxçıvan»",
    ),
    on_days=(
        "bazar ertəsi",
        "çərşənbə axşamı",
        "çərşənbə günü",
        "cümə axşamı",
        "cümə günü",
        "şənbə günü",
        "bazar günü",
    ),
    in_months=(
        "yanvarda",
        "fevralda",
        "martda",
        "apreldə",
        "mayda",
        "iyunda",
        "iyulda",
        "avqustda",
        "sentyabrda",
        "oktyabrda",
        "noyabrda",
        "dekabrda",
    ),
    months=AZ_MONTHS,
    from_months=(
        "yanvardan bəri",
        "fevraldan bəri",
        "martdan bəri",
        "apreldən bəri",
        "maydan bəri",
        "iyundan bəri",
        "iyuldan bəri",
        "avqustdan bəri",
        "sentyabrdan bəri",
        "oktyabrdan bəri",
        "noyabrdan bəri",
        "dekabrdan bəri",
    ),
    date_months=AZ_MONTHS,
    topics={
        "port": Topic(
            titles=(
                "{port} limanında {goods} yükləmələri {pct} faiz artıb",
                "{port} limanında {big} tonluq yeni yanalma körpüsü açılıb",
                "{port} limanında bərəyə növbə {n} kilometrə çatıb",
            ),
            sentences=(
                "{port} limanından bildirilib ki, {in_month} {goods} yükləmələrinin həcmi {big} ton təşkil edib, bu, ötən illə müqayisədə {pct} faiz çoxdur.",
                "Sürücülərin sözlərinə görə, bərəni gözləyən yük maşınlarının növbəsi {n} kilometrə uzanıb, gözləmə {k} sutkayadək çəkir.",
                "Yeni yanalma körpüsü dedveyti {big} tonadək olan gəmiləri qəbul edə bilir, ona {n} səyyar kran xidmət göstərir.",
                "{role} {person} terminalın {year} ilə qədər layihə gücünə çatacağını bildirib.",
                "{port} limanında {goods} yükləmə tarifi {year} ilin sonunadək bir ton üçün {usd} səviyyəsində saxlanılacaq.",
                "İlin əvvəlindən {port} limanının konteyner dövriyyəsi {pct} faiz artaraq {big} TEU həcminə çatıb.",
                "{port} və {port2} limanları arasında ikinci bərə xətti {in_month} istifadəyə veriləcək, reyslər ayda {n} dəfəyədək həyata keçiriləcək.",
                "{port} limanına giriş kanalında dibdərinləşdirmə işləri {in_month} başa çatacaq, onların dəyəri {mln} milyon manat qiymətləndirilir.",
            ),
            az_titles=(
                "Azərbaycan və Qazaxıstan {port} limanı üzrə bərə cədvəlini razılaşdırıb",
                "Azərbaycan şirkəti {port} limanındakı terminalın payını alır",
            ),
            az_sentences=(
                "Azərbaycandan gələn bərələr artıq {port} limanına ayda {n} dəfəyədək daxil olur, deyə {role} {person} dəqiqləşdirib.",
                "{in_month} {port} limanında yüklərin {pct} faizi Azərbaycana göndərilib.",
            ),
            roles=(
                "limanın baş direktoru",
                "Bakı Beynəlxalq Dəniz Ticarət Limanının sədr müavini",
                "rəqəmsal inkişaf və nəqliyyat nazirinin müavini",
            ),
            tags=("limanlar", "Xəzər", "daşımalar"),
            section="Nəqliyyat",
        ),
        "corridor": Topic(
            titles=(
                "Orta Dəhliz üzrə yükdaşımaların həcmi {pct} faiz artıb",
                "{city} – {city2} konteyner qatarı yolu {n} sutkaya qət edib",
                "Dəmiryolçular {goods} daşınması üçün vahid tarif razılaşdırıblar",
            ),
            sentences=(
                "{port} limanından yola salınan konteyner qatarı {city} stansiyasına {n} sutkaya çatıb, bu, adi cədvəldən {n2} sutka tezdir.",
                "{in_month} Transxəzər marşrutu ilə {big} ton yük daşınıb, deyə {role} {person} bildirib.",
                "Dəmir yolu {year} ilə qədər ayda {n} konteyner qatarı əlavə etməyi planlaşdırır.",
                "Daşıyıcıların sözlərinə görə, sərhəddə bir vaqon üçün sənədlərin rəsmiləşdirilməsi hələ də {n} saatadək çəkir.",
                "Marşrut üçün vahid elektron qaimə {n} qatarda sınaqdan keçirilir, deyə operatorlar {on_day} bildiriblər.",
                "{in_city} tikilən yeni logistika mərkəzi ildə {big} konteynerədək emal edə biləcək.",
                "Marşrutun dəmir yolu və liman infrastrukturuna {year} ilə qədər {mln} milyon dollar investisiya yatırılması nəzərdə tutulur.",
            ),
            az_titles=(
                "Azərbaycan, Gürcüstan və Qazaxıstan Orta Dəhlizdə tranzit müddətini qısaldacaq",
                "Azərbaycan ərazisindən keçən ilk konteyner qatarı {city} stansiyasına çatıb",
            ),
            az_sentences=(
                "Azərbaycan, Gürcüstan və Qazaxıstan dəmir yollarının nümayəndələri {on_day} {in_city} görüşərək {year} il üçün cədvəli razılaşdırıblar.",
                "Qatarlar Xəzəri bərə ilə keçərək Azərbaycan və Gürcüstan ərazisindən Qara dəniz limanlarına çatır.",
            ),
            roles=(
                "rəqəmsal inkişaf və nəqliyyat nazirinin müavini",
                "Dəmir Yolları QSC-nin logistika direktoru",
                "beynəlxalq daşıyıcılar assosiasiyasının sədri",
            ),
            tags=("Orta Dəhliz", "dəmir yolu", "tranzit"),
            section="İqtisadiyyat",
        ),
        "ministry": Topic(
            titles=(
                "Hökumət {mln} milyon manatlıq məktəb təmiri proqramını təsdiqləyib",
                "Minimum pensiya {pct} faiz artırılacaq: {month} ayından",
                "{in_city} kiçik biznes üçün vergi hesabatları sadələşdirilir",
            ),
            sentences=(
                "Hökumət {on_day} layihəni təsdiqləyərək parlamentə göndərib, deyə {role} {person} bildirib.",
                "Proqramın icrasına {mln} milyon manat xərclənəcək, o, {n} il üçün nəzərdə tutulub.",
                "Yeni qaydalara əsasən, işçilərinin sayı {n} nəfərədək olan müəssisələr vergi hesabatını ildə bir dəfə təqdim edəcək.",
                "{from_month} nazirliyə elektron portal vasitəsilə {big} müraciət daxil olub.",
                "Layihə ilə bağlı ictimai müzakirələr ayın sonunadək {in_city} və {in_city2} keçiriləcək.",
                "Nazirliyin hesablamalarına görə, dəyişikliklər regionda {big} ailəyə təsir edəcək.",
                "Qərar rəsmi dərc olunduqdan {n} gün sonra qüvvəyə minəcək, deyə {role} {person} dəqiqləşdirib.",
            ),
            az_titles=(
                "Azərbaycan və Qazaxıstan ticarət və tranzit üzrə {n} sənəd imzalayıb",
                "Azərbaycan və Özbəkistan nazirləri {in_city} enerji layihələrini müzakirə ediblər",
            ),
            az_sentences=(
                "Azərbaycan nümayəndə heyətinin sənədləri imzalamaq üçün {in_month} {city} şəhərinə gəlməsi gözlənilir.",
                "Azərbaycanla Qazaxıstan arasında əmtəə dövriyyəsi {months} ayda {pct} faiz artıb, deyə nazirlikdən bildirilib.",
            ),
            roles=(
                "maliyyə nazirinin müavini",
                "iqtisadiyyat naziri",
                "Nazirlər Kabinetinin mətbuat katibi",
            ),
            tags=("hökumət", "büdcə", "pensiya"),
            section="Siyasət",
        ),
        "prices": Topic(
            titles=(
                "{in_city} çörək bir ayda {pct} faiz bahalaşıb",
                "İllik inflyasiya {pct} faizədək yavaşlayıb",
                "{city} bazarlarında mal əti bayram öncəsi {pct} faiz bahalaşıb",
            ),
            sentences=(
                "{city} mərkəzi bazarında mal ətinin kiloqramı {price} təşkil edir, bir ay əvvəl isə {price2} idi.",
                "Dövlət Statistika Komitəsinin məlumatına görə, {in_month} istehlak qiymətləri {pct} faiz, ərzaq məhsulları isə {pct2} faiz bahalaşıb.",
                "{role} {person} qiymət artımını nəqliyyat və gübrə xərclərinin bahalaşması ilə izah edib.",
                "{city} satıcılarının sözlərinə görə, bir həftədə una və şəkərə tələbat təxminən {pct} faiz artıb.",
                "Antiinhisar Agentliyi qiymətləri əsassız artıran topdan satıcılara qarşı {n} iş açıb.",
                "İqtisadçılar {year} ilin sonunadək inflyasiyanın {pct} faizədək yavaşlayacağını gözləyirlər.",
                "{city} yanacaqdoldurma məntəqələrində Aİ-92 benzininin bir litri {price} təşkil edir, bu, {year_past} ildən bəri ən yüksək qiymətdir.",
            ),
            az_titles=(
                "Azərbaycan pomidorunun ixracı {pct} faiz artıb",
                "Azərbaycanda meyvə qiymətləri {in_month} {pct} faiz ucuzlaşıb",
            ),
            az_sentences=(
                "Satıcıların sözlərinə görə, Azərbaycan fermerlərinin bazara çıxardığı tərəvəzin həcmi {pct} faiz artıb.",
                "{city} topdansatış bazarında Azərbaycan pomidorunun kiloqramı {price} təşkil edir.",
            ),
            roles=(
                "Dövlət Statistika Komitəsinin şöbə müdiri",
                "Antiinhisar Agentliyinin rəhbəri",
                "Mərkəzi Bankın baş iqtisadçısı",
            ),
            tags=("qiymətlər", "inflyasiya", "bazar"),
            section="İqtisadiyyat",
        ),
        "weather": Topic(
            titles=(
                "{in_city} güclü külək gözlənilir: saniyədə {n} metrədək",
                "{in_city} şaxta mənfi {temp} dərəcəyədək güclənəcək",
                "Qar səbəbindən {city} ətrafında {n} yol hissəsi bağlanıb",
            ),
            sentences=(
                "{on_day} {city} və ətraf rayonlarda küləyin sürəti saniyədə {n} metrədək güclənəcək.",
                "Gecə havanın temperaturu mənfi {temp} dərəcəyədək enəcək, deyə {role} {person} bildirib.",
                "Fövqəladə Hallar Nazirliyi {n} yol hissəsində hərəkətin bağlandığını, {big} evin bir neçə saat işıqsız qaldığını açıqlayıb.",
                "Sürücülərə həftə sonunadək {city} – {city2} magistral yolundan istifadə etməmək tövsiyə olunur.",
                "Gecə dağlara {n} santimetrədək qar yağıb, qar uçqunu təhlükəsi qalır.",
                "Şaxta səbəbindən {city} məktəbləri {n} günlük distant təhsilə keçib.",
                "Xəzər sahillərində dalğanın hündürlüyü {n2} metrə çatacaq, bərə reysləri gecikə bilər.",
            ),
            az_titles=(
                "Xəzərdə fırtına Azərbaycana gələn bərələri gecikdirib",
                "Azərbaycana yola düşən bərə fırtına səbəbindən {port} limanında {n} saat gözləyib",
            ),
            az_sentences=(
                "Fırtına səbəbindən Azərbaycanla bərə əlaqəsi {n} saatlığa dayandırılıb.",
                "Azərbaycanın sahil rayonlarında {in_month} küləklə bağlı sarı xəbərdarlıq elan edilib.",
            ),
            roles=(
                "Milli Hidrometeorologiya Xidmətinin növbətçi sinoptiki",
                "Fövqəladə Hallar Nazirliyinin regional idarəsinin rəisi",
                "sinoptik",
            ),
            tags=("hava", "külək", "yollar"),
            section="Cəmiyyət",
        ),
        "sport": Topic(
            titles=(
                "{team} {team2} üzərində {score} hesablı qələbə qazanıb",
                "{person} {in_city} keçirilən cüdo üzrə Asiya çempionatında qızıl medal qazanıb",
                "{team} yeni baş məşqçi ilə müqavilə imzalayıb: {person}",
            ),
            sentences=(
                "{on_day} {team} {city} şəhər stadionunda {team2} komandasını {score} hesabı ilə məğlub edib, oyunu {big} azarkeş izləyib.",
                "Qələbə qolu {minute} dəqiqədə cərimə zərbəsindən vurulub.",
                "{person} {weight} kiloqramadək çəki dərəcəsində bütün görüşlərdə qalib gəlib.",
                "Komanda {k} oyunda {n} xal toplayaraq turnir cədvəlində liderlik edir.",
                "{role} {person} komandanın {in_month} {in_city} təlim-məşq toplanışı keçirəcəyini deyib.",
                "Növbəti ev oyununa biletlər {on_day} satışa çıxarılacaq, ən ucuz bilet {price} təşkil edir.",
                "Milli federasiyadan bildirilib ki, {n} idmançı dünya çempionatına lisenziya qazanıb.",
            ),
            az_titles=(
                "Azərbaycan millisi {draw} hesablı heç-heçə ilə qrupda ikinci pilləyə yüksəlib",
                "Azərbaycan {n} ölkənin iştirak etdiyi güləş turnirinə ev sahibliyi edəcək",
            ),
            az_sentences=(
                "Regional kubokun növbəti mərhələsində komanda Azərbaycan çempionu ilə qarşılaşacaq.",
                "Azərbaycan güləşçiləri {in_city} keçirilən turnirdə {n} medal qazanıblar.",
            ),
            roles=(
                "baş məşqçi",
                "komandanın kapitanı",
                "Futbol Federasiyaları Assosiasiyasının prezidenti",
            ),
            tags=("futbol", "idman", "cüdo"),
            section="İdman",
        ),
    },
    generic=(
        "Qərar {on_day} {in_city} keçirilən müşavirədə qəbul olunub.",
        "Yerli icra hakimiyyəti ətraflı məlumatı {n} gün ərzində açıqlayacağını vəd edib.",
        "{role} {person} planların {city} sahibkarları ilə müzakirə edildiyini qeyd edib.",
        "Rəsmilərin xatırlatdığına görə, oxşar tədbirlər {year_past} ildə {in_city2} tətbiq edilib.",
        "Məlumatları {on_day} rayon icra hakimiyyəti təsdiqləyib.",
        "İşlərin gedişinə nəzarət üçün {n} ekspertdən ibarət işçi qrupu yaradılıb.",
        "{city} sakinləri bu dəyişikliyi bir neçə ildir gözlədiklərini deyirlər.",
        "Növbəti baxış {month} ayına planlaşdırılıb, deyə məlumatda qeyd olunur.",
    ),
    az_generic=(
        "Qurumdan bildirilib ki, oxşar layihələr Azərbaycanın digər regionlarında da həyata keçirilir.",
        "{in_city} keçirilən görüşdə Azərbaycan təcrübəsi nümunə kimi göstərilib.",
    ),
    videos=(
        "Video: {n} yük maşını yüklənmiş bərə {port} limanından yola düşüb",
        "Qardan sonra {city} küçələri",
        "Müsahibə: {role} {person} yeni tariflər barədə",
        "Canlı yayım: hökumətin {year} il büdcəsi üzrə brifinqi",
        "{team} – {team2} oyununun icmalı",
        "{in_city} tikilən logistika mərkəzindən reportaj",
        "{port} limanında yeni körpü necə işləyir",
        "İzah edirik: {in_city} çörək niyə bahalaşır",
        "{city} – {city2} magistral yolu yuxarıdan",
        "{city} bazarında qiymətlər: videoicmal",
    ),
    az_videos=(
        "Video: Azərbaycan və Qazaxıstan {port} limanından yeni bərə xətti açıb",
        "Azərbaycandan yola düşən yük qatarı {city} stansiyasına çatıb",
        "Azərbaycan güləşçiləri {in_city} keçirilən çempionatda",
        "Azərbaycan və Özbəkistan nazirləri {in_city} görüşüb",
        "Videoicmal: Azərbaycan {port} istiqamətində bərələrin sayını artırır",
    ),
    captions=("Foto: {staff}", "Foto: rayon icra hakimiyyətinin mətbuat xidməti"),
    country_tag="Azərbaycan",
    ui={
        "latest": "Xəbər lenti",
        "picks": "Redaktorun seçimi",
        "video": "VİDEO",
        "most_read": "Ən çox oxunan",
        "tags": "Teqlər:",
        "share": "Paylaş:",
        "ticker": "Təcili",
        "by": "Müəllif:",
        "more": "Digər xəbərlər",
        "rights": "Bütün hüquqlar qorunur. Materiallardan istifadə edərkən istinad mütləqdir.",
        "address": "Ünvan: Bakı ş., Nizami küç., 64. Tel.: (012) 498-00-00",
        "subscribe": "Telegram kanalımıza abunə olun",
        "search": "Axtar",
        "previous": "Əvvəlki xəbər",
        "next": "Növbəti xəbər",
        "partners": "Tərəfdaş xəbərləri",
    },
    sections=("Siyasət", "İqtisadiyyat", "Nəqliyyat", "Cəmiyyət", "İdman", "Dünya", "Müsahibə"),
    currency="manat",
)

LANGUAGES = {lang.code: lang for lang in (EN, RU, KK, UZ, AZ)}

# ---------------------------------------------------------------------------------------------
# Slots and sentences

_GENDER = re.compile(r"\{v:([^|}]*)\|([^}]*)\}")
_AZ_ORDINAL_LAST = {1: "ci", 2: "ci", 3: "cü", 4: "cü", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cu"}
_AZ_ORDINAL_TENS = {1: "cu", 2: "ci", 3: "cu", 4: "cı", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cı"}


def az_ordinal(n: int) -> str:
    """``2028-ci``, ``2029-cu``, ``40-cı``: the suffix follows the last number word's vowel."""
    if n % 10:
        suffix = _AZ_ORDINAL_LAST[n % 10]
    elif n % 100:
        suffix = _AZ_ORDINAL_TENS[(n // 10) % 10]
    else:
        suffix = "ci" if n % 1000 == 0 else "cü"
    return f"{n}-{suffix}"


def _grouped(lang: Language, value: int) -> str:
    text = f"{value:,}"
    return text if lang.code == "en" else text.replace(",", " ")


def _decimal(lang: Language, value: float, digits: int = 1) -> str:
    text = f"{value:.{digits}f}"
    return text if lang.code == "en" else text.replace(".", ",")


def _prices(lang: Language, rng: random.Random) -> tuple[str, str]:
    """A price and the lower one it stood at a while ago."""
    share = rng.uniform(0.8, 0.97)
    if lang.code == "az":
        cents = rng.randint(80, 2500)
        before = round(cents * share)
        return (
            f"{_decimal(lang, cents / 100, 2)} {lang.currency}",
            f"{_decimal(lang, before / 100, 2)} {lang.currency}",
        )
    step = 100 if lang.code == "uz" else 10
    now = rng.randint(40, 1500) * 100 if lang.code == "uz" else rng.randint(25, 990) * 10
    before = max(step, round(now * share / step) * step)
    return f"{_grouped(lang, now)} {lang.currency}", f"{_grouped(lang, before)} {lang.currency}"


def capitalise(lang: Language, text: str) -> str:
    if not text:
        return text
    first = "İ" if lang.code == "az" and text[0] == "i" else text[0].upper()
    return first + text[1:]


def fill(lang: Language, template: str, slots: dict[str, str]) -> str:
    male = slots.get("gender", "m") == "m"
    text = _GENDER.sub(lambda m: m.group(1) if male else m.group(2), template)
    return capitalise(lang, text.format_map(slots))


def draw_slots(
    lang: Language, topic: str, rng: random.Random, base: dict[str, str] | None = None
) -> dict[str, str]:
    """Fresh values for every slot; ``base`` (an article's place, people, teams) wins."""
    cities = rng.sample(lang.cities, 2)
    ports = rng.sample(lang.ports, 2)
    teams = rng.sample(lang.teams, 2)
    person, gender = rng.choice(lang.people)
    year, year_past, minute = rng.randint(2026, 2030), rng.randint(2015, 2023), rng.randint(11, 89)
    a = rng.randint(1, 4)
    b, d = rng.randint(0, a - 1), rng.randint(0, 3)
    sep = "-" if lang.code == "en" else ":"
    month = rng.randrange(12)
    price, price2 = _prices(lang, rng)
    slots = {
        "city": cities[0][0],
        "in_city": cities[0][1],
        "city2": cities[1][0],
        "in_city2": cities[1][1],
        "port": ports[0],
        "port2": ports[1],
        "team": teams[0],
        "team2": teams[1],
        "person": person,
        "gender": gender,
        "role": rng.choice(lang.topics[topic].roles),
        "goods": rng.choice(lang.goods),
        "staff": rng.choice(lang.staff),
        "n": str(rng.randint(5, 20)),
        "k": str(rng.randint(5, 20)),
        "n2": str(rng.randint(2, 5)),
        "months": str(rng.randint(5, 11)),
        "big": _grouped(lang, rng.randint(12, 990) * 100),
        "mln": str(rng.randint(15, 950)),
        "pct": _decimal(lang, rng.randint(3, 189) / 10),
        "pct2": _decimal(lang, rng.randint(3, 189) / 10),
        "price": price,
        "price2": price2,
        "usd": f"${rng.randint(12, 95)}",
        "year": az_ordinal(year) if lang.code == "az" else str(year),
        "year_past": az_ordinal(year_past) if lang.code == "az" else str(year_past),
        "minute": az_ordinal(minute) if lang.code == "az" else str(minute),
        "on_day": rng.choice(lang.on_days),
        "in_month": lang.in_months[month],
        "month": lang.months[month],
        "from_month": lang.from_months[month],
        "temp": str(rng.randint(5, 20)),
        "weight": str(rng.choice((60, 66, 73, 81, 90, 100))),
        "score": f"{a}{sep}{b}",
        "draw": f"{d}{sep}{d}",
    }
    if base:
        slots.update(base)
        if slots["city2"] == slots["city"]:
            slots["city2"], slots["in_city2"] = next(
                c for c in lang.cities if c[0] != slots["city"]
            )
        if slots["port2"] == slots["port"]:
            slots["port2"] = next(p for p in lang.ports if p != slots["port"])
        if slots["team2"] == slots["team"]:
            slots["team2"] = next(t for t in lang.teams if t != slots["team"])
    return slots


# ---------------------------------------------------------------------------------------------
# Outlets


@dataclass(frozen=True)
class Spec:
    name: str
    site_name: str
    style: str
    lang: str
    kind: str  # long | medium | brief
    linked_latest: bool  # the newest headlines are links (else plain text or a click handler)
    date_meta: bool  # the publication date in the page's meta tags
    cached: bool  # a page is rendered once, when published (a full-page cache)
    latest: int  # how many newest headlines the sidebar lists
    videos: int  # titles in the video box
    mention_rate: float
    tz_hours: int
    caption_rate: float
    dateline: bool = False  # "BAKU, Nov 21 (Silk Wire) – " opens the first paragraph


SPECS = {
    "wordpress": Spec(
        "caspian-ledger", "The Caspian Ledger", "wordpress", "en", "long", True, True, False,
        10, 8, 0.3, 5, 0.5,
    ),
    "bitrix": Spec(
        "kaspiy-inform", "Каспий-Информ", "bitrix", "ru", "medium", True, False, True, 15, 10,
        0.3, 5, 0.3,
    ),
    "drupal": Spec(
        "dala-aqparat", "Дала ақпарат", "drupal", "kk", "medium", False, True, False, 12, 9,
        0.3, 5, 0.3,
    ),
    "handmade": Spec(
        "xezer-xeber", "Xəzər Xəbər", "handmade", "az", "medium", False, False, False, 14, 10,
        0.35, 4, 0.25,
    ),
    "bootstrap": Spec(
        "dunyo-24", "Dunyo-24", "bootstrap", "uz", "brief", True, True, False, 12, 8, 0.3, 5,
        0.0,
    ),
    "amp": Spec(
        "silk-wire", "Silk Wire", "amp", "en", "brief", False, True, False, 8, 8, 0.3, 4, 0.0,
        dateline=True,
    ),
}  # fmt: skip
STYLES = tuple(SPECS)
# (paragraphs min, max, characters min, max, sentences per paragraph at most)
KINDS = {
    "long": (4, 8, 1200, 2600, 3),
    "medium": (3, 7, 700, 1900, 2),
    "brief": (3, 5, 250, 580, 1),
}
SECTION_CODES = {
    "port": "transport",
    "corridor": "economy",
    "ministry": "politics",
    "prices": "economy",
    "weather": "society",
    "sport": "sport",
}
FIRST_ID = {
    "wordpress": 12045,
    "bitrix": 48210,
    "drupal": 31540,
    "handmade": 90112,
    "bootstrap": 7721,
    "amp": 3920145,
}


@dataclass
class Article:
    """One published article and its ground truth."""

    site: str
    style: str
    number: int  # the outlet's article id
    poll: int  # published before this poll (1: before the first)
    url: str
    path: str
    title: str
    paragraphs: tuple[str, ...]  # the body, exactly as printed
    dek: str  # the summary in the meta description and in teasers (not part of the body)
    topic: str
    section: str
    tags: tuple[str, ...]
    published: datetime
    author: str | None
    caption: str | None
    caption_after: int
    views: int
    mentions: bool  # the headline or the body names Azerbaijan (any spelling)

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class Video:
    id: str
    title: str
    duration: str
    published: datetime


@dataclass
class Partner:
    url: str
    title: str
    published: datetime


@dataclass
class View:
    """What the sidebars show at one moment."""

    now: datetime
    articles: list[Article]  # published so far, oldest first
    videos: list[Video]  # newest first
    partners: list[Partner]  # newest first
    latest: list[Article]  # newest first
    most_read: list[Article]
    picks: list[Article]  # the editors' choice, with their summaries


_TRANSLIT = str.maketrans(
    {
        "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e",
        "ё": "yo", "ж": "zh", "з": "z", "и": "i", "й": "y", "і": "i", "к": "k", "қ": "q",
        "л": "l", "м": "m", "н": "n", "ң": "ng", "о": "o", "ө": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h",
        "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e",
        "ю": "yu", "я": "ya", "ə": "e", "ı": "i", "ʻ": "", "ʼ": "", "‘": "", "'": "",
    }
)  # fmt: skip


def slugify(text: str, limit: int = 70) -> str:
    text = text.casefold().translate(_TRANSLIT)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text)
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > limit:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "news"


def mentions_watched(text: str) -> bool:
    return WATCHED.search(text) is not None


class Site:
    """One outlet: its articles, videos and partner headlines, published poll by poll, and
    its pages rendered in its style. Served by ``server`` when given."""

    def __init__(
        self,
        spec: Spec,
        *,
        seed: int = 1,
        server: OutletServer | None = None,
        start: datetime | None = None,
    ) -> None:
        self.spec = spec
        self.lang = LANGUAGES[spec.lang]
        self.style = STYLE_CLASSES[spec.style](self)
        self.server = server
        self.rng = random.Random(f"{seed}:{spec.name}")
        self.tz = timezone(timedelta(hours=spec.tz_hours))
        begin = start or datetime(2025, 11, 17, 7, 30, tzinfo=UTC)
        self.clock = begin.astimezone(self.tz) + timedelta(minutes=self.rng.randint(0, 50))
        self.articles: list[Article] = []
        self.videos: list[Video] = []
        self.partners: list[Partner] = []
        self.polls = 0
        self.feed_items = 20  # the newest articles the feed lists
        self._used: set[str] = set()
        self._next_id = FIRST_ID[spec.style]
        self._cached: dict[str, str] = {}
        self._recent_videos: list[str] = []  # templates of the latest videos, not reused soon
        # what the sidebars showed before the first article
        for _ in range(spec.videos + 4):
            self._new_video(self.clock - timedelta(hours=self.rng.randint(3, 60)))
        self.videos.sort(key=lambda v: v.published)
        for _ in range(8):
            self._new_partner(self.clock - timedelta(hours=self.rng.randint(1, 30)))
        self.partners.sort(key=lambda p: p.published)

    # -- addresses ------------------------------------------------------------------------

    @property
    def base(self) -> str:
        return self.server.base_url if self.server else f"https://www.{self.spec.name}.test"

    @property
    def feed_path(self) -> str:
        return self.style.feed_path

    @property
    def home_path(self) -> str:
        return self.style.home_path

    def source(self) -> dict[str, Any]:
        """The outlet's entry under ``sources`` in a config."""
        return {
            "name": self.spec.name,
            "url": self.base + self.home_path,
            "feeds": [self.base + self.feed_path],
            "delay": "0s",
            "concurrency": 4,
        }

    # -- publication ----------------------------------------------------------------------

    def publish(self, n: int) -> list[Article]:
        """``n`` new articles (with new videos and partner headlines between them); the
        routes of the served outlet are refreshed."""
        self.polls += 1
        new = []
        for _ in range(n):
            self.clock += timedelta(minutes=self.rng.randint(14, 80))
            if self.rng.random() < 0.6:
                self._new_video(self.clock - timedelta(minutes=self.rng.randint(1, 12)))
            if self.rng.random() < 0.5:
                self._new_partner(self.clock - timedelta(minutes=self.rng.randint(1, 12)))
            article = self._new_article(self.clock)
            self.articles.append(article)
            new.append(article)
            if self.spec.cached:
                self._cached[article.path] = self.style.article(article, self.view(article))
        if self.server is not None:
            self.install()
        return new

    def view(self, at: Article | None = None) -> View:
        """The sidebars as of ``at``'s publication (default: now, a few minutes after the
        newest article)."""
        if at is None:
            published = self.articles
            now = (self.articles[-1].published if self.articles else self.clock) + timedelta(
                minutes=4
            )
        else:
            published = self.articles[: self.articles.index(at) + 1]
            now = at.published
        videos = [v for v in self.videos if v.published <= now][::-1][: self.spec.videos]
        partners = [p for p in self.partners if p.published <= now][::-1][:6]
        latest = published[::-1][: self.spec.latest]
        recent = published[::-1][1:40]

        def heat(a: Article) -> float:
            hours = (now - a.published).total_seconds() / 3600
            return a.views / (1 + hours / 12)

        most_read = sorted(recent, key=heat, reverse=True)[:5]
        choice = random.Random(f"{self.spec.name}:{len(published)}")
        older = published[::-1][3:30]
        picks = choice.sample(older, min(5, len(older)))
        return View(now, list(published), videos, partners, latest, most_read, picks)

    def page(self, article: Article) -> str:
        """The article's page as served now."""
        if self.spec.cached and article.path in self._cached:
            return self._cached[article.path]
        return self.style.article(article, self.view())

    def front(self) -> str:
        return self.style.front(self.view())

    def feed(self) -> str:
        items = []
        for a in self.articles[::-1][: self.feed_items]:
            items.append(
                f"<item><title>{esc(a.title)}</title><link>{{{{BASE}}}}{esc(a.path)}</link>"
                f'<guid isPermaLink="true">{{{{BASE}}}}{esc(a.path)}</guid>'
                f"<pubDate>{format_datetime(a.published)}</pubDate>"
                f"<category>{esc(a.section)}</category>"
                f"<description><![CDATA[{a.dek}]]></description></item>"
            )
        built = format_datetime(self.articles[-1].published if self.articles else self.clock)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            f"<title>{esc(self.spec.site_name)}</title><link>{{{{BASE}}}}{self.home_path}</link>"
            f"<description>{esc(self.spec.site_name)}</description>"
            f"<language>{self.lang.code}</language><lastBuildDate>{built}</lastBuildDate>"
            f'<atom:link href="{{{{BASE}}}}{self.feed_path}" rel="self" type="application/rss+xml"/>'
            + "".join(items)
            + "</channel></rss>"
        )

    def install(self) -> None:
        """(Re)install every route: pages rendered as of now (or as cached), feed, home."""
        assert self.server is not None
        self.server.set("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
        self.server.set(self.feed_path, self.feed(), "application/rss+xml; charset=utf-8")
        self.server.set(self.home_path, self.front())
        view = self.view()
        for article in self.articles:
            if self.spec.cached and article.path in self._cached:
                body = self._cached[article.path]
            else:
                body = self.style.article(article, view)
            self.server.set(article.path, body)

    # -- text -----------------------------------------------------------------------------

    def _unique(self, text: str) -> bool:
        return text not in self._used

    def _sentence(self, template: str, topic: str, base: dict[str, str]) -> str | None:
        """The template filled with the article's slots, or with fresh ones when that
        sentence was printed before; None when every try was printed before."""
        for attempt in range(12):
            slots = draw_slots(self.lang, topic, self.rng, None if attempt > 3 else base)
            text = fill(self.lang, template, slots)
            if self._unique(text):
                return text
        return None

    def _new_video(self, when: datetime) -> None:
        lang = self.lang
        for _ in range(20):
            pool = lang.az_videos if self.rng.random() < 0.45 else lang.videos
            fresh = [t for t in pool if t not in self._recent_videos] or list(pool)
            template = self.rng.choice(fresh)
            slots = draw_slots(lang, self.rng.choice(TOPICS), self.rng)
            title = fill(lang, template, slots)
            if self._unique(title):
                break
        self._recent_videos = [template, *self._recent_videos][:6]
        self._used.add(title)
        vid = hashlib.sha1(f"{self.spec.name}:{title}".encode()).hexdigest()[:11]
        duration = f"{self.rng.randint(0, 14):02d}:{self.rng.randint(0, 59):02d}"
        self.videos.append(Video(vid, title, duration, when))

    def _new_partner(self, when: datetime) -> None:
        lang = self.lang
        for _ in range(20):
            topic = lang.topics[self.rng.choice(TOPICS)]
            pool = topic.az_titles if self.rng.random() < 0.5 else topic.titles
            title = fill(lang, self.rng.choice(pool), draw_slots(lang, "port", self.rng))
            if self._unique(title):
                break
        self._used.add(title)
        host = self.rng.choice(("novosti-partner", "media-obmen", "region-inform", "kaspi-today"))
        url = f"https://{host}.test/news/{self.rng.randint(100000, 999999)}/?utm_source={self.spec.name}"
        self.partners.append(Partner(url, title, when))

    def _new_article(self, when: datetime) -> Article:
        rng, lang, spec = self.rng, self.lang, self.spec
        recent = [a.topic for a in self.articles[-2:]]
        topic_name = rng.choice([t for t in TOPICS if t not in recent])
        topic = lang.topics[topic_name]
        mentions = rng.random() < spec.mention_rate
        az_title = mentions and rng.random() < 0.5
        drawn = draw_slots(lang, topic_name, rng)
        keep = ("city", "in_city", "port", "person", "gender", "role", "team", "team2", "goods")
        base = {k: drawn[k] for k in keep}
        # the headline and the lead share their figures
        lead = draw_slots(lang, topic_name, rng, base)
        title = ""
        for attempt in range(30):
            template = rng.choice(topic.az_titles if az_title else topic.titles)
            slots = lead if attempt == 0 else draw_slots(lang, topic_name, rng, base)
            title = fill(lang, template, slots)
            if self._unique(title):
                break
        # the summary restates a fact the body does not print (naming Azerbaijan, at times,
        # when the article does: in teasers on other pages too)
        az_dek = mentions and rng.random() < 0.5
        dek_template = rng.choice(topic.az_sentences if az_dek else topic.sentences)
        paragraphs = self._compose(topic_name, base, lead, mentions, az_title, dek_template)
        if spec.dateline:
            city = base["city"].upper()
            paragraphs[0] = (
                f"{city}, {when.strftime('%b')} {when.day} ({spec.site_name}) – {paragraphs[0]}"
            )
        self._used.add(title)
        dek = self._sentence(dek_template, topic_name, base) or fill(
            lang, dek_template, draw_slots(lang, topic_name, rng)
        )
        self._used.add(dek)
        caption = None
        if rng.random() < spec.caption_rate:
            caption = fill(lang, rng.choice(lang.captions), draw_slots(lang, topic_name, rng, base))
        self._next_id += rng.randint(1, 4)
        tags = list(rng.sample(topic.tags, 2)) + [base["city"]]
        if mentions:
            tags.append(lang.country_tag)
        truth = mentions_watched(title) or any(mentions_watched(p) for p in paragraphs)
        if truth != mentions:  # every sentence naming the country used up: draw another
            return self._new_article(when)
        article = Article(
            site=spec.name,
            style=spec.style,
            number=self._next_id,
            poll=self.polls,
            url="",
            path="",
            title=title,
            paragraphs=tuple(paragraphs),
            dek=dek,
            topic=topic_name,
            section=topic.section,
            tags=tuple(tags),
            published=when,
            author=None if spec.kind == "brief" else rng.choice(lang.staff),
            caption=caption,
            caption_after=rng.randint(1, 2),
            views=rng.randint(300, 30000),
            mentions=mentions,
        )
        article.path = self.style.path(article)
        article.url = self.base + article.path
        return article

    def _compose(
        self,
        topic_name: str,
        base: dict[str, str],
        lead: dict[str, str],
        mentions: bool,
        az_title: bool,
        skip: str,
    ) -> list[str]:
        """The body's paragraphs, sized for the outlet's kind; the template ``skip`` unused."""
        rng, lang = self.rng, self.lang
        topic = lang.topics[topic_name]
        neighbour = lang.topics[NEIGHBOUR[topic_name]]
        pmin, pmax, cmin, cmax, per = KINDS[self.spec.kind]
        if self.spec.dateline:
            cmax -= 40
        brief = self.spec.kind == "brief"
        # the candidate sentences, in the order an article would use them: the lead first
        own = [t for t in topic.sentences if t != skip]
        own = rng.sample(own, len(own))
        borrowed = rng.sample(neighbour.sentences, 3) if neighbour is not topic else []
        others = borrowed + rng.sample(lang.generic, len(lang.generic))
        rng.shuffle(others)
        candidates: list[tuple[str, str]] = []  # (sentence, template)
        first = fill(lang, own[0], lead)
        if self._unique(first):
            candidates.append((first, own[0]))
        for template in interleave(own[1:] if candidates else own, others, rng):
            text = self._sentence(template, topic_name, base)
            if text and all(text != c for c, _ in candidates):
                candidates.append((text, template))
        az: list[tuple[str, str]] = []
        if mentions:
            pool = [t for t in topic.az_sentences if t != skip]
            pool = rng.sample(pool, len(pool)) + list(lang.az_generic)
            for template in pool:
                text = self._sentence(template, topic_name, base)
                if text:
                    az.append((text, template))
                if len(az) == (2 if self.spec.kind == "long" else 1):
                    break
        short = [c for c in candidates if not brief or len(c[0]) <= 175]
        chosen: list[tuple[str, str]] = []
        for _ in range(200):
            count = rng.randint(pmin, pmax)
            target = rng.randint(cmin, cmax)
            rest = short[1:] if not brief else rng.sample(short[1:], len(short) - 1)
            chosen = [short[0]]
            for sentence in az:  # the mention early: a brief has few sentences
                chosen.insert(1 if az_title or brief else rng.randint(1, len(chosen)), sentence)
            for sentence in rest:
                size = sum(len(s) + 1 for s, _ in chosen)
                if len(chosen) >= count and (brief or size >= target):
                    break
                chosen.append(sentence)
            if brief:
                chosen = chosen[:count]
                size = sum(len(s) + 1 for s, _ in chosen)
                if cmin <= size <= cmax and len(chosen) >= pmin:
                    break
                continue
            size = sum(len(s) + 1 for s, _ in chosen)
            count = max(count, -(-len(chosen) // per))
            if size <= cmax * 1.1 and count <= pmax:
                break
        else:
            raise RuntimeError(f"{self.spec.name}: no article of {self.spec.kind} size")
        sentences = [s for s, _ in chosen]
        self._used.update(sentences)
        return sentences if brief else split(sentences, count, per, rng)


def interleave(a: Sequence[str], b: Sequence[str], rng: random.Random) -> list[str]:
    out, i, j = [], 0, 0
    while i < len(a) or j < len(b):
        if j >= len(b) or (i < len(a) and rng.random() < 0.55):
            out.append(a[i])
            i += 1
        else:
            out.append(b[j])
            j += 1
    return out


def split(sentences: list[str], count: int, per: int, rng: random.Random) -> list[str]:
    """``sentences`` as ``count`` paragraphs of one to ``per`` sentences each."""
    count = min(count, len(sentences))
    sizes = [1] * count
    for _ in range(len(sentences) - count):
        room = [i for i, n in enumerate(sizes) if n < per] or list(range(count))
        sizes[rng.choice(room)] += 1
    out, at = [], 0
    for n in sizes:
        out.append(" ".join(sentences[at : at + n]))
        at += n
    return out


def esc(text: str) -> str:
    return html.escape(text, quote=True)


# ---------------------------------------------------------------------------------------------
# Page templates, one per CMS style


def long_date(lang: Language, when: datetime) -> str:
    month = lang.date_months[when.month - 1]
    if lang.code == "en":
        return f"{month} {when.day}, {when.year}"
    if lang.code == "uz":
        return f"{when.day}-{month} {when.year}"
    return f"{when.day} {month} {when.year}"


def hm(when: datetime) -> str:
    return when.strftime("%H:%M")


def dmy(when: datetime) -> str:
    return when.strftime("%d.%m.%Y")


def json_ld(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


class Style:
    feed_path = "/feed/"
    home_path = "/"

    def __init__(self, site: Site) -> None:
        self.site = site
        self.lang = site.lang
        self.spec = site.spec

    def path(self, a: Article) -> str:
        raise NotImplementedError

    def article(self, a: Article, view: View) -> str:
        raise NotImplementedError

    def front(self, view: View) -> str:
        raise NotImplementedError

    # shared pieces
    def section_path(self, topic: str) -> str:
        return f"/{SECTION_CODES[topic]}/"

    def same_section(self, a: Article | None, view: View, n: int = 4) -> list[Article]:
        section = a.section if a else view.articles[-1].section if view.articles else ""
        out = [x for x in view.articles[::-1] if x.section == section and x is not a]
        return out[:n]

    def neighbours(self, a: Article, view: View) -> tuple[Article | None, Article | None]:
        i = view.articles.index(a) if a in view.articles else len(view.articles)
        before = view.articles[i - 1] if i > 0 else None
        after = view.articles[i + 1] if i + 1 < len(view.articles) else None
        return before, after

    def body(self, a: Article, para: str = "<p>{}</p>", caption: str = "") -> str:
        out = []
        for i, text in enumerate(a.paragraphs):
            out.append(para.format(esc(text)))
            if a.caption and caption and i + 1 == a.caption_after:
                out.append(caption.format(caption=esc(a.caption), n=a.number))
        return "\n".join(out)


class WordPress(Style):
    """A WordPress news theme: div#page > div#content > main > article.post >
    div.entry-content, and aside#secondary of widgets."""

    feed_path = "/feed/"

    def path(self, a: Article) -> str:
        d = a.published
        return f"/{d.year}/{d.month:02d}/{d.day:02d}/{slugify(a.title)}/"

    def section_path(self, topic: str) -> str:
        return f"/category/{SECTION_CODES[topic]}/"

    def head(self, title: str, extra: str) -> str:
        name = esc(self.spec.site_name)
        return (
            '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="UTF-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)} &#8211; {name}</title>\n"
            '<meta name="robots" content="index, follow, max-image-preview:large">\n'
            f"{extra}"
            "<link rel='stylesheet' id='wp-block-library-css' href='/wp-includes/css/dist/block-library/style.min.css?ver=6.4.2' media='all'>\n"
            "<link rel='stylesheet' id='newsup-style-css' href='/wp-content/themes/newsup/style.css?ver=6.4.2' media='all'>\n"
            f'<link rel="alternate" type="application/rss+xml" title="{name} &raquo; Feed" href="{{{{BASE}}}}/feed/">\n'
            "<script src='/wp-includes/js/jquery/jquery.min.js?ver=3.7.1' id='jquery-core-js'></script>\n"
            "</head>\n"
        )

    def chrome_top(self, view: View) -> str:
        lang = self.lang
        menu = "".join(
            f'<li id="menu-item-{40 + i}" class="menu-item menu-item-type-taxonomy menu-item-object-category menu-item-{40 + i}">'
            f'<a href="/category/{slugify(s)}/">{esc(s)}</a></li>'
            for i, s in enumerate(lang.sections)
        )
        ticker = "".join(
            f'<li><a href="{esc(a.path)}">{esc(a.title)}</a></li>' for a in view.latest[:5]
        )
        return (
            '<div id="page" class="site">\n'
            '<a class="skip-link screen-reader-text" href="#content">Skip to content</a>\n'
            '<header id="masthead" class="site-header">\n'
            f'<div class="mg-head-detail"><div class="top-date">{esc(long_date(lang, view.now))}</div>'
            '<form role="search" method="get" class="search-form" action="/"><label>'
            '<span class="screen-reader-text">Search for:</span><input type="search" class="search-field" '
            'placeholder="Search &hellip;" name="s"></label><input type="submit" class="search-submit" value="Search"></form></div>\n'
            '<div class="site-branding"><p class="site-title"><a href="/" rel="home">'
            f'{esc(self.spec.site_name)}</a></p><p class="site-description">News from Central Asia and the Caspian</p></div>\n'
            '<nav id="site-navigation" class="main-navigation"><button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>'
            f'<ul id="primary-menu" class="menu">{menu}</ul></nav>\n</header>\n'
            f'<div class="mg-latest-news-sec"><div class="mg-latest-news"><div class="bn_title"><h2 class="title">{lang.ui["ticker"]}</h2></div>'
            f'<div class="mg-latest-news-slider marquee"><ul>{ticker}</ul></div></div></div>\n'
        )

    def aside(self, view: View) -> str:
        ui = self.lang.ui
        recent = "".join(
            f'<li><a href="{esc(a.path)}">{esc(a.title)}</a>'
            f'<span class="post-date">{esc(long_date(self.lang, a.published))} {hm(a.published)}</span></li>'
            for a in view.latest
        )
        videos = "".join(
            f'<div class="vp-item" data-video-id="{v.id}" onclick="clPlay(this)">'
            f'<img src="https://i.ytimg.com/vi/{v.id}/mqdefault.jpg" alt="" loading="lazy">'
            f'<span class="vp-title">{esc(v.title)}</span><span class="vp-duration">{v.duration}</span></div>'
            for v in view.videos
        )
        popular = "".join(
            f'<li><a href="{esc(a.path)}" class="wpp-post-title" target="_self">{esc(a.title)}</a>'
            f' <span class="wpp-meta post-stats"><span class="wpp-views">{_grouped(self.lang, a.views)} views</span></span></li>'
            for a in view.most_read
        )
        picks = "".join(
            f'<div class="mg-post-box"><h4 class="entry-title"><a href="{esc(a.path)}">{esc(a.title)}</a></h4>'
            f'<p class="mg-post-excerpt">{esc(a.dek)}</p></div>'
            for a in view.picks
        )
        cats = "".join(
            f'<li class="cat-item cat-item-{3 + i}"><a href="/category/{slugify(s)}/">{esc(s)}</a> ({120 + 37 * i})</li>'
            for i, s in enumerate(self.lang.sections)
        )
        return (
            '<aside id="secondary" class="widget-area" role="complementary">\n'
            f'<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">{ui["latest"]}</h2><ul>{recent}</ul></section>\n'
            f'<section id="custom_html-3" class="widget_text widget widget_custom_html"><h2 class="widget-title">{ui["video"]}</h2>'
            f'<div class="textwidget custom-html-widget"><div class="video-playlist">{videos}</div></div></section>\n'
            f'<section id="wpp-2" class="widget popular-posts"><h2 class="widget-title">{ui["most_read"]}</h2><ul class="wpp-list">{popular}</ul></section>\n'
            f'<section id="newsup_posts_list-4" class="widget newsup-posts-list"><h2 class="widget-title">{ui["picks"]}</h2>{picks}</section>\n'
            f'<section id="categories-2" class="widget widget_categories"><h2 class="widget-title">Categories</h2><ul>{cats}</ul></section>\n'
            "</aside>\n"
        )

    def footer(self) -> str:
        ui = self.lang.ui
        return (
            '<footer id="colophon" class="site-footer"><div class="mg-footer-widget-area"><div class="footer-about">'
            f"<p>{esc(self.spec.site_name)} covers Kazakhstan, Uzbekistan, the Caspian and the South Caucasus.</p>"
            f"<p>{esc(ui['address'])}</p></div></div>"
            f'<div class="site-info">&copy; 2025 {esc(self.spec.site_name)}. {esc(ui["rights"])} | '
            '<a href="https://wordpress.org/">Proudly powered by WordPress</a></div></footer>\n</div>\n'
        )

    def article(self, a: Article, view: View) -> str:
        ui, lang = self.lang.ui, self.lang
        iso = a.published.isoformat()
        section_slug = SECTION_CODES[a.topic]
        meta = (
            f'<meta name="description" content="{esc(a.dek)}">\n'
            f'<link rel="canonical" href="{{{{BASE}}}}{esc(a.path)}">\n'
            '<meta property="og:locale" content="en_US">\n<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{esc(a.title)}">\n'
            f'<meta property="og:description" content="{esc(a.dek)}">\n'
            f'<meta property="og:url" content="{{{{BASE}}}}{esc(a.path)}">\n'
            f'<meta property="og:site_name" content="{esc(self.spec.site_name)}">\n'
            f'<meta property="article:published_time" content="{iso}">\n'
            f'<meta property="article:modified_time" content="{(a.published + timedelta(minutes=9)).isoformat()}">\n'
            f'<meta property="og:image" content="{{{{BASE}}}}/wp-content/uploads/{a.published.year}/{a.published.month:02d}/{a.number}-1024x683.jpg">\n'
            f'<meta name="author" content="{esc(a.author or "")}">\n'
            + json_ld(
                {
                    "@context": "https://schema.org",
                    "@graph": [
                        {
                            "@type": "Article",
                            "headline": a.title,
                            "datePublished": iso,
                            "author": {"@type": "Person", "name": a.author},
                            "articleSection": [a.section],
                            "inLanguage": "en-US",
                        },
                        {"@type": "WebSite", "name": self.spec.site_name},
                    ],
                }
            )
            + "\n"
        )
        before, after = self.neighbours(a, view)
        nav = '<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">Post navigation</h2><div class="nav-links">'
        if before:
            nav += (
                f'<div class="nav-previous"><a href="{esc(before.path)}" rel="prev"><span class="meta-nav">{ui["previous"]}</span> '
                f'<span class="post-title">{esc(before.title)}</span></a></div>'
            )
        if after:
            nav += (
                f'<div class="nav-next"><a href="{esc(after.path)}" rel="next"><span class="meta-nav">{ui["next"]}</span> '
                f'<span class="post-title">{esc(after.title)}</span></a></div>'
            )
        nav += "</div></nav>\n"
        more = "".join(
            f'<article class="d-md-flex mg-posts-sec-post"><div class="mg-sec-top-post"><h4 class="entry-title title">'
            f'<a href="{esc(x.path)}">{esc(x.title)}</a></h4><div class="mg-blog-meta"><span class="mg-blog-date">'
            f'{esc(long_date(lang, x.published))}</span></div><div class="mg-content"><p>{esc(x.dek)}</p></div></div></article>'
            for x in self.same_section(a, view)
        )
        tags = ", ".join(f'<a href="/tag/{slugify(t)}/" rel="tag">{esc(t)}</a>' for t in a.tags)
        share = (
            '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing">'
            f'<h3 class="sd-title">{ui["share"]}</h3><div class="sd-content"><ul>'
            '<li class="share-facebook"><a class="share-facebook sd-button share-icon" href="?share=facebook" target="_blank"><span>Facebook</span></a></li>'
            '<li class="share-x"><a class="share-x sd-button share-icon" href="?share=x" target="_blank"><span>X</span></a></li>'
            '<li class="share-telegram"><a class="share-telegram sd-button share-icon" href="?share=telegram" target="_blank"><span>Telegram</span></a></li>'
            '<li class="share-jetpack-whatsapp"><a class="share-jetpack-whatsapp sd-button share-icon" href="?share=jetpack-whatsapp" target="_blank"><span>WhatsApp</span></a></li>'
            "</ul></div></div></div>"
        )
        caption = (
            '<figure class="wp-block-image size-large"><img decoding="async" width="1024" height="683" '
            'src="/wp-content/uploads/2025/11/{n}-b-1024x683.jpg" alt="" class="wp-image-{n}">'
            '<figcaption class="wp-element-caption">{caption}</figcaption></figure>'
        )
        main = (
            f'<article id="post-{a.number}" class="post-{a.number} post type-post status-publish format-standard has-post-thumbnail hentry category-{section_slug}">\n'
            f'<header class="entry-header"><div class="cat-links"><a href="/category/{section_slug}/" rel="category tag">{esc(a.section)}</a></div>'
            f'<h1 class="entry-title">{esc(a.title)}</h1>'
            f'<div class="entry-meta"><span class="posted-on"><a href="{esc(a.path)}" rel="bookmark"><time class="entry-date published" datetime="{iso}">'
            f'{esc(long_date(lang, a.published))}</time></a></span><span class="byline"> {ui["by"]} <span class="author vcard">'
            f'<a class="url fn n" href="/author/{slugify(a.author or "staff")}/">{esc(a.author or "")}</a></span></span></div></header>\n'
            f'<div class="post-thumbnail"><img width="1024" height="683" src="/wp-content/uploads/{a.published.year}/{a.published.month:02d}/{a.number}-1024x683.jpg" '
            'class="attachment-post-thumbnail size-post-thumbnail wp-post-image" alt="" decoding="async"></div>\n'
            f'<div class="entry-content">\n{self.body(a, caption=caption)}\n{share}\n</div>\n'
            f'<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/{section_slug}/" rel="category tag">{esc(a.section)}</a></span>'
            f'<span class="tags-links">Tagged {tags}</span></footer>\n</article>\n'
            + nav
            + f'<section class="mg-posts-sec mg-posts-modul-6"><div class="mg-sec-title"><h4>{ui["more"]} {esc(a.section)}</h4></div>'
            f'<div class="mg-posts-sec-inner">{more}</div></section>\n'
        )
        return self.page(a.title, meta, view, main, f"single single-post postid-{a.number}")

    def page(self, title: str, meta: str, view: View, main: str, body_class: str) -> str:
        return (
            self.head(title, meta)
            + f'<body class="{body_class} wp-embed-responsive">\n'
            + self.chrome_top(view)
            + '<div id="content" class="site-content">\n<div id="primary" class="content-area">\n<main id="main" class="site-main">\n'
            + main
            + "</main>\n</div>\n"
            + self.aside(view)
            + "</div>\n"
            + self.footer()
            + "</body>\n</html>\n"
        )

    def front(self, view: View) -> str:
        posts = "".join(
            f'<article class="post type-post"><h2 class="entry-title"><a href="{esc(a.path)}">{esc(a.title)}</a></h2>'
            f'<div class="entry-meta"><time datetime="{a.published.isoformat()}">{esc(long_date(self.lang, a.published))}</time></div>'
            f'<div class="entry-summary"><p>{esc(a.dek)}</p></div></article>\n'
            for a in view.articles[::-1][:20]
        )
        meta = '<meta property="og:type" content="website">\n'
        return self.page(self.spec.site_name, meta, view, posts, "home blog")


class Bitrix(Style):
    """A Bitrix portal: a table layout, div.news-detail in the left cell, td.b-sidebar with the
    news line, the video block and the most read; partner headlines under the article."""

    feed_path = "/rss/"

    def path(self, a: Article) -> str:
        return f"/news/{SECTION_CODES[a.topic]}/{a.number}/"

    def section_path(self, topic: str) -> str:
        return f"/news/{SECTION_CODES[topic]}/"

    def page(self, title: str, meta: str, view: View, content: str) -> str:
        lang, ui = self.lang, self.lang.ui
        menu = "".join(
            f'<li><a href="/news/{slugify(s)}/">{esc(s)}</a></li>' for s in lang.sections
        )
        run = " &bull; ".join(esc(a.title) for a in view.latest[:5])
        line = "".join(
            '<div class="b-news-line__item">'
            f'<span class="b-news-line__date">{dmy(a.published)}</span> <span class="b-news-line__time">{hm(a.published)}</span> '
            f'<a href="{esc(a.path)}">{esc(a.title)}</a></div>\n'
            for a in view.latest
        )
        videos = "".join(
            f'<div class="b-video__item" data-video="{v.id}" onclick="BX.Kaspiy.Video.open(\'{v.id}\')">'
            f'<img src="/upload/video/{v.id}.jpg" alt="" /><div class="b-video__name">{esc(v.title)}</div>'
            f'<div class="b-video__time">{v.duration}</div></div>\n'
            for v in view.videos
        )
        picks = "".join(
            f'<div class="b-main__item"><a href="{esc(a.path)}"><img src="/upload/resize_cache/iblock/{a.number}_90_60.jpg" alt="" /></a>'
            f'<a class="b-main__link" href="{esc(a.path)}">{esc(a.title)}</a><div class="b-main__text">{esc(a.dek)}</div></div>\n'
            for a in view.picks
        )
        popular = "".join(
            f'<li><a href="{esc(a.path)}">{esc(a.title)}</a> <span class="b-popular__views">{_grouped(lang, a.views)}</span></li>'
            for a in view.most_read
        )
        return (
            "<!DOCTYPE html>\n<html>\n<head>\n"
            '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />\n'
            f"{meta}"
            '<link href="/bitrix/cache/css/s1/kaspiy/template_5f1c0e1b/template_5f1c0e1b.css?170012345678" type="text/css" rel="stylesheet" />\n'
            '<script type="text/javascript" src="/bitrix/js/main/core/core.min.js?1700000000"></script>\n'
            f'<title>{esc(title)}</title>\n</head>\n<body>\n<div id="panel"></div>\n'
            '<table class="main-table" width="100%" cellpadding="0" cellspacing="0">\n'
            '<tr><td colspan="2" class="header"><div class="b-header">'
            f'<a href="/" class="b-header__logo"><img src="/local/templates/kaspiy/images/logo.png" alt="{esc(self.spec.site_name)}" /></a>'
            f'<div class="b-header__date">{esc(long_date(lang, view.now))}</div>'
            '<div class="b-header__currency">USD 512,40 | EUR 596,10 | RUB 6,32</div>'
            f'<form action="/search/" class="b-search"><input type="text" name="q" /><input type="submit" value="{ui["search"]}" /></form></div>\n'
            f'<div class="b-menu"><ul>{menu}</ul></div>\n'
            f'<div class="b-runline"><span class="b-runline__label">{ui["ticker"]}</span><marquee scrollamount="4">{run}</marquee></div>\n'
            "</td></tr>\n<tr>\n"
            f'<td class="b-content" valign="top">\n{content}</td>\n'
            '<td class="b-sidebar" width="300" valign="top">\n'
            f'<div class="b-news-line"><div class="b-news-line__title"><a href="/news/">{ui["latest"]}</a></div>\n{line}'
            '<a class="b-news-line__all" href="/news/">Все новости</a></div>\n'
            f'<div class="b-video"><div class="b-video__title">{ui["video"]}</div>\n{videos}</div>\n'
            f'<div class="b-main"><div class="b-main__title">{ui["picks"]}</div>{picks}</div>\n'
            f'<div class="b-popular"><div class="b-popular__title">{ui["most_read"]}</div><ol>{popular}</ol></div>\n'
            '<div class="b-banner"><a href="/reklama/"><img src="/upload/rk/300x250.gif" alt="" /></a></div>\n'
            "</td></tr>\n"
            '<tr><td colspan="2" class="footer"><div class="b-footer">'
            f'<div class="b-footer__menu">{" | ".join(esc(s) for s in lang.sections)}</div>'
            f'<div class="b-footer__copy">&copy; 2008–2025 «{esc(self.spec.site_name)}». {esc(ui["rights"])}</div>'
            f'<div class="b-footer__address">{esc(ui["address"])}</div><div class="b-footer__age">18+</div>'
            '<!-- Yandex.Metrika counter --><script type="text/javascript">(function(m,e,t,r,i,k,a){m[i]=m[i]||function(){(m[i].a=m[i].a||[]).push(arguments)};})(window, document, "script", "https://mc.yandex.ru/metrika/tag.js", "ym");</script>'
            "</div></td></tr>\n</table>\n</body>\n</html>\n"
        )

    def article(self, a: Article, view: View) -> str:
        ui = self.lang.ui
        meta = (
            f'<meta name="keywords" content="{esc(", ".join(a.tags))}" />\n'
            f'<meta name="description" content="{esc(a.dek)}" />\n'
            f'<meta property="og:title" content="{esc(a.title)}" />\n'
            '<meta property="og:type" content="article" />\n'
            f'<meta property="og:url" content="{{{{BASE}}}}{esc(a.path)}" />\n'
            f'<meta property="og:image" content="{{{{BASE}}}}/upload/iblock/{a.number % 997:03x}/{a.number}.jpg" />\n'
            f'<meta property="og:description" content="{esc(a.dek)}" />\n'
        )
        more = "".join(
            f'<div class="b-more__item"><a href="{esc(x.path)}"><img src="/upload/resize_cache/iblock/{x.number}_200_130.jpg" alt="" /></a>'
            f'<div class="b-more__date">{dmy(x.published)}</div><a class="b-more__link" href="{esc(x.path)}">{esc(x.title)}</a>'
            f'<div class="b-more__text">{esc(x.dek)}</div></div>\n'
            for x in self.same_section(a, view)
        )
        cells = [
            f'<td width="33%" valign="top"><a href="{esc(p.url)}" target="_blank" rel="nofollow">'
            f'<img src="https://{p.url.split("/")[2]}/i/{p.url.split("/")[-2]}.jpg" width="90" alt="" /><br />{esc(p.title)}</a></td>'
            for p in view.partners
        ]
        rows = "".join(f"<tr>{''.join(cells[i : i + 3])}</tr>" for i in range(0, len(cells), 3))
        tags = ", ".join(f'<a href="/search/?tags={esc(t)}">{esc(t)}</a>' for t in a.tags)
        caption = '<p class="photo"><img src="/upload/medialibrary/{n}/photo.jpg" width="600" alt="" /><br /><i>{caption}</i></p>'
        content = (
            f'<div class="b-breadcrumbs"><a href="/">Главная</a> / <a href="/news/">Новости</a> / '
            f'<a href="{self.section_path(a.topic)}">{esc(a.section)}</a></div>\n'
            f'<h1 class="b-title">{esc(a.title)}</h1>\n'
            '<div class="news-detail">\n'
            f'<img class="detail_picture" border="0" src="/upload/iblock/{a.number % 997:03x}/{a.number}.jpg" width="600" height="400" alt="{esc(a.title)}" title="{esc(a.title)}" />\n'
            f'<span class="news-date-time">{dmy(a.published)} {hm(a.published)}</span>\n'
            f"{self.body(a, caption=caption)}\n"
            '<div style="clear:both"></div>\n<br />\n'
            f'<div class="news-detail-author">{ui["by"]} {esc(a.author or "")}</div>\n'
            f'<div class="news-detail-tags">{ui["tags"]} {tags}</div>\n'
            f'<div class="news-detail-share"><span>{ui["share"]}</span> <div class="ya-share2" data-curtain data-services="vkontakte,odnoklassniki,telegram,whatsapp"></div></div>\n'
            "</div>\n"
            f'<div class="b-more"><div class="b-more__title">{ui["more"]} «{esc(a.section)}»</div>\n{more}</div>\n'
            f'<div class="b-partners"><div class="b-partners__title">{ui["partners"]}</div><table class="b-partners__table">{rows}</table></div>\n'
        )
        return self.page(f"{a.title} - {self.spec.site_name}", meta, view, content)

    def front(self, view: View) -> str:
        items = "".join(
            f'<div class="news-item"><span class="news-date-time">{dmy(a.published)} {hm(a.published)}</span> '
            f'<a href="{esc(a.path)}"><b>{esc(a.title)}</b></a><br />{esc(a.dek)}</div>\n'
            for a in view.articles[::-1][:20]
        )
        meta = f'<meta name="description" content="{esc(self.spec.site_name)}" />\n'
        content = f'<div class="news-list">\n{items}</div>\n'
        return self.page(self.spec.site_name, meta, view, content)


class Drupal(Style):
    """A Drupal 7 site: div.region-content > div.node > div.field-name-body, blocks of views
    (div.views-row) in region-sidebar-second and region-highlighted."""

    feed_path = "/kk/rss.xml"
    home_path = "/kk"

    def path(self, a: Article) -> str:
        d = a.published
        return f"/kk/news/{d.year}/{d.month:02d}/{d.day:02d}/{slugify(a.title, 60)}"

    def section_path(self, topic: str) -> str:
        return f"/kk/{SECTION_CODES[topic]}"

    def view_block(self, block: str, title: str, rows: list[str], more: str = "") -> str:
        out = []
        for i, row in enumerate(rows, 1):
            parity = "odd" if i % 2 else "even"
            edge = " views-row-first" if i == 1 else " views-row-last" if i == len(rows) else ""
            out.append(
                f'<div class="views-row views-row-{i} views-row-{parity}{edge}">{row}</div>\n'
            )
        return (
            f'<div id="block-views-{block}-block" class="block block-views">\n<h2>{title}</h2>\n'
            f'<div class="content"><div class="view view-{block} view-id-{block.replace("-", "_")} view-display-id-block">'
            f'<div class="view-content">\n{"".join(out)}</div>{more}</div></div>\n</div>\n'
        )

    def page(self, title: str, meta: str, view: View, content: str, body_class: str) -> str:
        lang, ui = self.lang, self.lang.ui
        menu = "".join(
            f'<li class="menu-{218 + i}{" first" if i == 0 else ""}"><a href="/kk/{slugify(s)}">{esc(s)}</a></li>'
            for i, s in enumerate(lang.sections)
        )
        breaking = self.view_block(
            "breaking",
            ui["ticker"],
            [
                f'<span class="views-field views-field-title"><span class="field-content">{esc(a.title)}</span></span>'
                for a in view.latest[:5]
            ],
        )
        latest = self.view_block(
            "latest-news",
            ui["latest"],
            [
                f'<div class="views-field views-field-created"><span class="field-content">{dmy(a.published)} - {hm(a.published)}</span></div>'
                f'<div class="views-field views-field-title" onclick="window.location=\'{esc(a.path)}\'"><span class="field-content">{esc(a.title)}</span></div>'
                for a in view.latest
            ],
            '<div class="more-link"><a href="/kk/news">Барлық жаңалықтар</a></div>',
        )
        videos = self.view_block(
            "video",
            ui["video"],
            [
                f'<div class="views-field views-field-field-youtube"><div class="field-content"><div class="video-thumb" data-youtube="{v.id}">'
                f'<img src="https://i.ytimg.com/vi/{v.id}/hqdefault.jpg" alt="" /></div></div></div>'
                f'<div class="views-field views-field-title"><span class="field-content">{esc(v.title)}</span></div>'
                f'<div class="views-field views-field-field-duration"><div class="field-content">{v.duration}</div></div>'
                for v in view.videos
            ],
        )
        popular = self.view_block(
            "popular",
            ui["most_read"],
            [
                f'<div class="views-field views-field-title"><span class="field-content"><a href="{esc(a.path)}">{esc(a.title)}</a></span></div>'
                f'<div class="views-field views-field-totalcount"><span class="field-content">{a.views}</span></div>'
                for a in view.most_read
            ],
        )
        picks = self.view_block(
            "editor-picks",
            ui["picks"],
            [
                f'<div class="views-field views-field-title"><span class="field-content"><a href="{esc(a.path)}">{esc(a.title)}</a></span></div>'
                f'<div class="views-field views-field-field-lead"><div class="field-content">{esc(a.dek)}</div></div>'
                for a in view.picks
            ],
        )
        return (
            f'<!DOCTYPE html>\n<html lang="kk" dir="ltr" prefix="og: http://ogp.me/ns# article: http://ogp.me/ns/article# dc: http://purl.org/dc/terms/">\n<head>\n'
            '<meta charset="utf-8" />\n<meta name="Generator" content="Drupal 7 (http://drupal.org)" />\n'
            f"{meta}<title>{esc(title)} | {esc(self.spec.site_name)}</title>\n"
            '<style type="text/css" media="all">@import url("/modules/system/system.base.css?s4x2k1");\n@import url("/sites/all/themes/dala/css/style.css?s4x2k1");</style>\n'
            '<script type="text/javascript" src="/misc/jquery.js?v=1.4.4"></script>\n'
            f'</head>\n<body class="html {body_class} not-logged-in two-sidebars i18n-kk">\n'
            '<div id="skip-link"><a href="#main-content" class="element-invisible element-focusable">Негізгі мазмұнға өту</a></div>\n'
            '<div id="page-wrapper"><div id="page">\n'
            '<div id="header"><div class="section clearfix">'
            '<a href="/kk" title="Басты бет" rel="home" id="logo"><img src="/sites/all/themes/dala/logo.png" alt="Басты бет" /></a>'
            '<div class="region region-header"><div id="block-locale-language" class="block block-locale"><div class="content">'
            '<ul class="language-switcher-locale-url"><li class="kk first active"><a href="/kk" class="language-link active">Қаз</a></li>'
            '<li class="ru last"><a href="/ru" class="language-link">Рус</a></li></ul></div></div></div></div></div>\n'
            f'<div id="navigation"><div class="section"><ul id="main-menu" class="links inline clearfix">{menu}</ul></div></div>\n'
            f'<div class="region region-highlighted">\n{breaking}</div>\n'
            '<div id="main-wrapper" class="clearfix"><div id="main" class="clearfix">\n'
            f'<div id="content" class="column"><div class="section">\n<a id="main-content"></a>\n{content}</div></div>\n'
            '<div id="sidebar-second" class="column sidebar"><div class="section">\n<div class="region region-sidebar-second">\n'
            f"{latest}{videos}{picks}{popular}</div>\n</div></div>\n"
            "</div></div>\n"
            '<div id="footer"><div class="section"><div class="region region-footer"><div id="block-block-3" class="block block-block"><div class="content">'
            f"<p>&copy; 2010–2025 «{esc(self.spec.site_name)}». {esc(ui['rights'])}</p><p>{esc(ui['address'])}</p></div></div></div></div></div>\n"
            "</div></div>\n</body>\n</html>\n"
        )

    def article(self, a: Article, view: View) -> str:
        ui = self.lang.ui
        iso = a.published.isoformat()
        meta = (
            f'<link rel="canonical" href="{{{{BASE}}}}{esc(a.path)}" />\n'
            f'<link rel="shortlink" href="{{{{BASE}}}}/kk/node/{a.number}" />\n'
            f'<meta name="description" content="{esc(a.dek)}" />\n'
            f'<meta property="og:site_name" content="{esc(self.spec.site_name)}" />\n'
            '<meta property="og:type" content="article" />\n'
            f'<meta property="og:url" content="{{{{BASE}}}}{esc(a.path)}" />\n'
            f'<meta property="og:title" content="{esc(a.title)}" />\n'
            f'<meta property="og:description" content="{esc(a.dek)}" />\n'
            f'<meta property="article:published_time" content="{iso}" />\n'
            f'<meta property="article:section" content="{esc(a.section)}" />\n'
        )
        tags = "".join(
            f'<div class="field-item {"even" if i % 2 == 0 else "odd"}"><a href="/kk/taxonomy/term/{100 + i}" typeof="skos:Concept" property="rdfs:label skos:prefLabel">{esc(t)}</a></div>'
            for i, t in enumerate(a.tags)
        )
        caption = ""
        image = (
            '<div class="field field-name-field-image field-type-image field-label-hidden"><div class="field-items"><div class="field-item even">'
            f'<img typeof="foaf:Image" src="/sites/default/files/styles/large/public/news/{a.number}.jpg" width="480" height="320" alt="" /></div></div></div>\n'
        )
        if a.caption:
            caption = (
                '<div class="field field-name-field-image-caption field-type-text field-label-hidden"><div class="field-items">'
                f'<div class="field-item even">{esc(a.caption)}</div></div></div>\n'
            )
        more = self.view_block(
            "more-in-section",
            f"{ui['more']}: {esc(a.section)}",
            [
                f'<div class="views-field views-field-title"><span class="field-content"><a href="{esc(x.path)}">{esc(x.title)}</a></span></div>'
                f'<div class="views-field views-field-body"><div class="field-content">{esc(x.dek)}</div></div>'
                for x in self.same_section(a, view)
            ],
        )
        content = (
            f'<h1 class="title" id="page-title">{esc(a.title)}</h1>\n'
            '<div class="region region-content">\n<div id="block-system-main" class="block block-system">\n<div class="content">\n'
            f'<div id="node-{a.number}" class="node node-article node-promoted clearfix" about="{esc(a.path)}" typeof="sioc:Item foaf:Document">\n'
            f'<div class="submitted"><span property="dc:date dc:created" content="{iso}" datatype="xsd:dateTime">{esc(long_date(self.lang, a.published))}, {hm(a.published)}</span>'
            f' — <span class="username">{esc(a.author or "")}</span></div>\n'
            f'<div class="content">\n{image}{caption}'
            '<div class="field field-name-body field-type-text-with-summary field-label-hidden"><div class="field-items"><div class="field-item even" property="content:encoded">\n'
            f"{self.body(a)}\n</div></div></div>\n"
            f'<div class="field field-name-field-tags field-type-taxonomy-term-reference field-label-above"><div class="field-label">{ui["tags"]}&nbsp;</div><div class="field-items">{tags}</div></div>\n'
            "</div>\n"
            f'<div class="addtoany_share_save_container addtoany_list"><span class="a2a_label">{ui["share"]}</span>'
            '<a class="a2a_button_facebook"></a><a class="a2a_button_telegram"></a><a class="a2a_button_whatsapp"></a></div>\n'
            "</div>\n</div>\n</div>\n"
            f"{more}</div>\n"
        )
        return self.page(a.title, meta, view, content, "not-front page-node page-node-article")

    def front(self, view: View) -> str:
        rows = [
            f'<div class="views-field views-field-title"><span class="field-content"><a href="{esc(a.path)}">{esc(a.title)}</a></span></div>'
            f'<div class="views-field views-field-body"><div class="field-content">{esc(a.dek)}</div></div>'
            for a in view.articles[::-1][:20]
        ]
        content = (
            f'<div class="region region-content">\n{self.view_block("front", "", rows)}</div>\n'
        )
        meta = '<meta property="og:type" content="website" />\n'
        return self.page(self.spec.site_name, meta, view, content, "front")


class Handmade(Style):
    """A hand-made site: nested tables, numbered ids, hardly a class; the newest headlines open
    on a click (no links), paragraphs separated by line breaks."""

    feed_path = "/rss.php"

    def path(self, a: Article) -> str:
        return f"/news.php?id={a.number}"

    def section_path(self, topic: str) -> str:
        return f"/category.php?id={TOPICS.index(topic) + 1}"

    def page(self, title: str, meta: str, view: View, center: str) -> str:
        lang, ui = self.lang, self.lang.ui
        menu = " | ".join(
            f'<a href="/category.php?id={i + 1}">{esc(s)}</a>' for i, s in enumerate(lang.sections)
        )
        ticker = " &bull;&bull;&bull; ".join(esc(a.title) for a in view.latest[:6])
        lent = "".join(
            f'<div id="lent{i % 2 + 1}"><font size="1" color="#999999">{dmy(a.published)}</font> '
            f'<font color="#cc0000"><b>{hm(a.published)}</b></font> '
            f'<span onclick="location.href=\'{esc(a.path)}\'" style="cursor:pointer">{esc(a.title)}</span></div>\n'
            for i, a in enumerate(view.latest)
        )
        videos = "".join(
            f'<div id="v{i + 1}" onclick="play(\'{v.id}\')" style="cursor:pointer"><img src="/uploads/video/{v.id}.jpg" width="240" border="0" /><br />'
            f'{esc(v.title)} <font color="#999999">({v.duration})</font></div>\n'
            for i, v in enumerate(view.videos)
        )
        picks = "".join(
            f'<div id="r{i + 1}"><a href="{esc(a.path)}"><b>{esc(a.title)}</b></a><br />{esc(a.dek)}</div>\n'
            for i, a in enumerate(view.picks)
        )
        popular = "".join(
            f'<tr><td valign="top" width="16"><b>{i + 1}</b></td><td><a href="{esc(a.path)}">{esc(a.title)}</a></td></tr>'
            for i, a in enumerate(view.most_read)
        )
        return (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
            f"<title>{esc(title)}</title>\n{meta}"
            '<link href="/style.css?v=14" rel="stylesheet" type="text/css" />\n'
            '<script type="text/javascript" src="/js/jquery-1.8.3.min.js"></script>\n'
            "<script type=\"text/javascript\">function play(id){window.open('/player.php?v='+id,'p','width=640,height=400');}</script>\n"
            '</head>\n<body>\n<div id="d0">\n'
            '<div id="d1"><table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>'
            f'<td width="300"><a href="/"><img src="/images/logo.png" border="0" alt="{esc(self.spec.site_name)}" /></a></td>'
            f'<td align="right"><span id="s1">{esc(long_date(lang, view.now))}</span> '
            f'<form action="/search.php" method="get"><input name="q" type="text" /><input type="submit" value="{ui["search"]}" /></form></td>'
            "</tr></table></div>\n"
            f'<div id="d2">{menu}</div>\n'
            f'<div id="d3"><b>{ui["ticker"]}:</b> <marquee behavior="scroll" scrollamount="3" onmouseover="this.stop()" onmouseout="this.start()">{ticker}</marquee></div>\n'
            '<table id="t1" width="100%" border="0" cellspacing="0" cellpadding="0"><tr>\n'
            f'<td id="td1" width="240" valign="top"><div id="lent"><div id="lent0">{ui["latest"]}</div>\n{lent}</div>\n'
            f'<div id="r0"><div id="r00">{ui["picks"]}</div>\n{picks}</div></td>\n'
            f'<td id="td2" valign="top">\n{center}</td>\n'
            f'<td id="td3" width="260" valign="top"><div id="v0"><div id="v00">{ui["video"]}</div>\n{videos}</div>\n'
            f'<div id="p0"><div id="p00">{ui["most_read"]}</div><table width="100%">{popular}</table></div>\n'
            '<div id="b1"><a href="/reklam.php"><img src="/banners/240x400.gif" border="0" /></a></div></td>\n'
            "</tr></table>\n"
            f'<div id="d9"><table width="100%"><tr><td>&copy; 2006–2025 «{esc(self.spec.site_name)}». {esc(ui["rights"])}<br />{esc(ui["address"])}</td>'
            '<td align="right"><a href="//www.liveinternet.ru/click" target="_blank"><img src="//counter.yadro.ru/hit?t44.6" width="31" height="31" alt="" border="0" /></a></td></tr></table></div>\n'
            "</div>\n</body>\n</html>\n"
        )

    def article(self, a: Article, view: View) -> str:
        lang, ui = self.lang, self.lang.ui
        meta = (
            f'<meta name="description" content="{esc(a.dek)}" />\n'
            '<meta property="og:type" content="article" />\n'
            f'<meta property="og:title" content="{esc(a.title)}" />\n'
            f'<meta property="og:image" content="{{{{BASE}}}}/uploads/news/{a.number}.jpg" />\n'
        )
        text = self.body(
            a,
            para="{}<br /><br />",
            caption='<center><img src="/uploads/news/{n}_2.jpg" width="500" /><br /><i>{caption}</i></center><br />',
        )
        others = [x for x in view.articles[::-1] if x is not a][:4]
        cells = [
            f'<td width="50%" valign="top"><a href="{esc(x.path)}"><img src="/uploads/news/s_{x.number}.jpg" width="140" border="0" /></a><br />'
            f'<a href="{esc(x.path)}">{esc(x.title)}</a></td>'
            for x in others
        ]
        rows = "".join(f"<tr>{''.join(cells[i : i + 2])}</tr>" for i in range(0, len(cells), 2))
        share = " | ".join(
            f'<a href="{u}{{{{BASE}}}}{esc(a.path)}" target="_blank">{n}</a>'
            for n, u in (
                ("Facebook", "https://www.facebook.com/sharer.php?u="),
                ("Twitter", "https://twitter.com/share?url="),
                ("WhatsApp", "https://wa.me/?text="),
                ("Telegram", "https://t.me/share/url?url="),
            )
        )
        tags = ", ".join(f'<a href="/tag.php?t={esc(t)}">{esc(t)}</a>' for t in a.tags)
        center = (
            f'<div id="news"><div id="n1"><a href="/">Ana səhifə</a> &raquo; <a href="{self.section_path(a.topic)}">{esc(a.section)}</a></div>\n'
            f"<h1>{esc(a.title)}</h1>\n"
            f'<div id="n2">{esc(long_date(lang, a.published))} | {hm(a.published)} | <img src="/images/eye.gif" /> {a.views}</div>\n'
            f'<img src="/uploads/news/{a.number}.jpg" width="600" id="n3" />\n'
            f'<div id="n4">\n{text}\n</div>\n'
            f'<div id="n5"><b>{ui["by"]}</b> {esc(a.author or "")}</div>\n'
            f'<div id="n6">{ui["share"]} {share}</div>\n'
            f'<div id="n7">{ui["tags"]} {tags}</div>\n</div>\n'
            f'<div id="n8"><div id="n8t">{ui["more"]}</div><table width="100%">{rows}</table></div>\n'
        )
        return self.page(f"{a.title} | {self.spec.site_name}", meta, view, center)

    def front(self, view: View) -> str:
        items = "".join(
            f'<div id="x{i + 1}"><b><a href="{esc(a.path)}">{esc(a.title)}</a></b><br />'
            f'<font size="1">{dmy(a.published)} {hm(a.published)}</font><br />{esc(a.dek)}</div><br />\n'
            for i, a in enumerate(view.articles[::-1][:20])
        )
        return self.page(self.spec.site_name, "", view, f'<div id="main1">\n{items}</div>\n')


class Bootstrap(Style):
    """An agency on a Bootstrap grid: div.row > div.col-md-8 (the brief) and div.col-md-4
    (cards: newest headlines, video, most read)."""

    feed_path = "/rss"

    def path(self, a: Article) -> str:
        d = a.published
        return f"/uz/news/{d.year}/{d.month:02d}/{d.day:02d}/{slugify(a.title, 60)}/"

    def section_path(self, topic: str) -> str:
        return f"/uz/{SECTION_CODES[topic]}/"

    def page(self, title: str, meta: str, view: View, main: str) -> str:
        lang, ui = self.lang, self.lang.ui
        menu = "".join(
            f'<li class="nav-item"><a class="nav-link" href="/uz/{slugify(s)}/">{esc(s)}</a></li>'
            for s in lang.sections
        )
        breaking = "".join(
            f'<li class="list-inline-item"><a class="text-white" href="{esc(a.path)}">{esc(a.title)}</a></li>'
            for a in view.latest[:5]
        )

        def stamp(a: Article) -> str:
            same_day = a.published.date() == view.now.date()
            return hm(a.published) if same_day else f"{dmy(a.published)} {hm(a.published)}"

        latest = "".join(
            f'<a href="{esc(a.path)}" class="list-group-item list-group-item-action py-2">'
            f'<small class="text-muted d-block">{stamp(a)}</small>{esc(a.title)}</a>\n'
            for a in view.latest
        )
        videos = "".join(
            f'<div class="media mb-2" role="button" data-toggle="modal" data-target="#videoModal" data-src="https://www.youtube.com/embed/{v.id}">'
            f'<img class="mr-2 rounded" src="https://i.ytimg.com/vi/{v.id}/default.jpg" width="96" alt="">'
            f'<div class="media-body small">{esc(v.title)}<div class="text-muted">{v.duration}</div></div></div>\n'
            for v in view.videos
        )
        popular = "".join(
            f'<li class="list-group-item py-2"><a href="{esc(a.path)}">{esc(a.title)}</a></li>'
            for a in view.most_read
        )
        picks = "".join(
            f'<div class="mb-2"><a class="font-weight-bold small" href="{esc(a.path)}">{esc(a.title)}</a>'
            f'<p class="small text-muted mb-0">{esc(a.dek)}</p></div>'
            for a in view.picks
        )
        return (
            '<!doctype html>\n<html lang="uz">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">\n'
            f"<title>{esc(title)}</title>\n{meta}"
            '<link rel="stylesheet" href="/static/css/bootstrap.min.css">\n<link rel="stylesheet" href="/static/css/main.css?v=3.2">\n'
            "</head>\n<body>\n<header>\n"
            f'<div class="topbar bg-dark text-white-50 small py-1"><div class="container d-flex justify-content-between"><span>{esc(long_date(lang, view.now))}</span>'
            '<span>USD 12 650,00 · EUR 14 720,00</span><span><a href="/uz/" class="text-white">Oʻzb</a> | <a href="/ru/" class="text-white-50">Рус</a></span></div></div>\n'
            '<nav class="navbar navbar-expand-lg navbar-light bg-white border-bottom"><div class="container">'
            f'<a class="navbar-brand" href="/"><img src="/static/img/logo.svg" height="36" alt="{esc(self.spec.site_name)}"></a>'
            '<button class="navbar-toggler" type="button" data-toggle="collapse" data-target="#mainNav"><span class="navbar-toggler-icon"></span></button>'
            f'<div class="collapse navbar-collapse" id="mainNav"><ul class="navbar-nav mr-auto">{menu}</ul>'
            f'<form class="form-inline" action="/uz/search/"><input class="form-control form-control-sm" type="search" name="q" placeholder="{ui["search"]}"></form></div></div></nav>\n'
            f'<div class="breaking bg-danger text-white py-1"><div class="container d-flex"><span class="badge badge-light mr-2">{ui["ticker"]}</span>'
            f'<div class="breaking-scroll"><ul class="list-inline mb-0">{breaking}</ul></div></div></div>\n'
            "</header>\n"
            '<main class="container my-3">\n<div class="row">\n'
            f'<div class="col-md-8">\n{main}</div>\n'
            '<div class="col-md-4">\n'
            f'<div class="card mb-3"><div class="card-header font-weight-bold">{ui["latest"]}</div><div class="list-group list-group-flush">\n{latest}</div>'
            '<div class="card-footer text-center"><a href="/uz/news/">Barcha yangiliklar</a></div></div>\n'
            f'<div class="card mb-3"><div class="card-header font-weight-bold">{ui["video"]}</div><div class="card-body p-2">\n{videos}</div></div>\n'
            f'<div class="card mb-3"><div class="card-header font-weight-bold">{ui["most_read"]}</div><ul class="list-group list-group-flush">{popular}</ul></div>\n'
            f'<div class="card mb-3"><div class="card-header font-weight-bold">{ui["picks"]}</div><div class="card-body p-2">{picks}</div></div>\n'
            "</div>\n</div>\n</main>\n"
            '<div class="modal fade" id="videoModal" tabindex="-1"><div class="modal-dialog modal-lg"><div class="modal-content">'
            '<div class="embed-responsive embed-responsive-16by9"><iframe class="embed-responsive-item" src="" allowfullscreen></iframe></div></div></div></div>\n'
            '<footer class="bg-dark text-white-50 py-4 mt-4"><div class="container"><div class="row">'
            f'<div class="col-md-6">&copy; 2017–2025 «{esc(self.spec.site_name)}». {esc(ui["rights"])}</div>'
            f'<div class="col-md-6 text-md-right">{esc(ui["address"])}</div></div></div></footer>\n'
            '<script src="/static/js/jquery.slim.min.js"></script><script src="/static/js/bootstrap.bundle.min.js"></script>\n'
            "</body>\n</html>\n"
        )

    def article(self, a: Article, view: View) -> str:
        ui = self.lang.ui
        iso = a.published.isoformat()
        meta = (
            f'<meta name="description" content="{esc(a.dek)}">\n'
            f'<link rel="canonical" href="{{{{BASE}}}}{esc(a.path)}">\n'
            '<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{esc(a.title)}">\n'
            f'<meta property="og:description" content="{esc(a.dek)}">\n'
            f'<meta property="og:url" content="{{{{BASE}}}}{esc(a.path)}">\n'
            f'<meta property="og:image" content="{{{{BASE}}}}/media/news/{a.number}/cover.jpg">\n'
            f'<meta property="article:published_time" content="{iso}">\n'
            + json_ld(
                {
                    "@context": "https://schema.org",
                    "@type": "NewsArticle",
                    "headline": a.title,
                    "datePublished": iso,
                    "publisher": {"@type": "Organization", "name": self.spec.site_name},
                }
            )
            + "\n"
        )
        tags = "".join(
            f'<a class="badge badge-secondary mr-1" href="/uz/tag/{slugify(t)}/">#{esc(t)}</a>'
            for t in a.tags
        )
        main = (
            '<nav aria-label="breadcrumb"><ol class="breadcrumb bg-transparent px-0">'
            f'<li class="breadcrumb-item"><a href="/">Bosh sahifa</a></li><li class="breadcrumb-item"><a href="{self.section_path(a.topic)}">{esc(a.section)}</a></li></ol></nav>\n'
            '<div class="news-detail">\n'
            f'<h1 class="h3 font-weight-bold">{esc(a.title)}</h1>\n'
            f'<div class="d-flex text-muted small mb-2"><span class="mr-3"><i class="far fa-clock"></i> {esc(long_date(self.lang, a.published))}, {hm(a.published)}</span>'
            f'<span><i class="far fa-eye"></i> {a.views}</span></div>\n'
            f'<img class="img-fluid rounded mb-3" src="/media/news/{a.number}/cover.jpg" alt="">\n'
            f'<div class="news-text">\n{self.body(a)}\n</div>\n'
            f'<div class="d-flex align-items-center my-3"><span class="mr-2 small text-muted">{ui["share"]}</span>'
            f'<a class="btn btn-sm btn-outline-primary mr-1" href="https://t.me/share/url?url={{{{BASE}}}}{esc(a.path)}">Telegram</a>'
            f'<a class="btn btn-sm btn-outline-primary mr-1" href="https://www.facebook.com/sharer/sharer.php?u={{{{BASE}}}}{esc(a.path)}">Facebook</a></div>\n'
            f'<div class="mb-3">{tags}</div>\n</div>\n'
            f'<div class="card border-0 bg-light my-3"><div class="card-body py-2 small">{esc(ui["subscribe"])}: <a href="https://t.me/dunyo24">@dunyo24</a></div></div>\n'
        )
        return self.page(f"{a.title} — {self.spec.site_name}", meta, view, main)

    def front(self, view: View) -> str:
        items = "".join(
            f'<div class="media border-bottom py-2"><div class="media-body"><a class="font-weight-bold" href="{esc(a.path)}">{esc(a.title)}</a>'
            f'<div class="small text-muted">{hm(a.published)}</div><p class="mb-0 small">{esc(a.dek)}</p></div></div>\n'
            for a in view.articles[::-1][:20]
        )
        return self.page(
            self.spec.site_name, '<meta property="og:type" content="website">\n', view, items
        )


AMP_STYLE = (
    "body{font-family:Georgia,serif;margin:0}.hdr{display:flex;padding:8px;background:#123}"
    ".logo{color:#fff;font-weight:700}.tick{background:#c00;color:#fff;font-size:13px}"
    ".a{padding:12px}.a-h{font-size:24px}.sh{font-size:16px;border-bottom:2px solid #c00}"
    ".lst-l{list-style:none;padding:0}.vid-i{width:240px}.ftr{background:#123;color:#ccc;padding:12px}"
)


class Amp(Style):
    """An AMP page of a wire: one column, article.a > div.a-body, and under it sections of
    the newest headlines (plain text), a video carousel and the most read."""

    feed_path = "/en/rss.xml"
    home_path = "/en/"

    def path(self, a: Article) -> str:
        return f"/en/{SECTION_CODES[a.topic]}/{a.number}.html"

    def section_path(self, topic: str) -> str:
        return f"/en/{SECTION_CODES[topic]}/"

    def page(self, title: str, meta: str, view: View, main: str) -> str:
        ui = self.lang.ui
        nav = "".join(
            f'<li><a href="/en/{slugify(s)}/">{esc(s)}</a></li>' for s in self.lang.sections
        )
        tick = "".join(f'<div class="tick-i">{esc(a.title)}</div>' for a in view.latest[:5])
        latest = "".join(
            f'<li><span class="lst-t">{hm(a.published)}</span> <span class="lst-d">{a.published.day} {a.published.strftime("%b")}</span> {esc(a.title)}</li>\n'
            for a in view.latest
        )
        videos = "".join(
            f'<div class="vid-i" role="button" tabindex="0" on="tap:lb-{v.id}"><amp-img src="/v/{v.id}.jpg" width="240" height="135" layout="fixed" alt=""></amp-img>'
            f'<div class="vid-t">{esc(v.title)}</div><div class="vid-d">{v.duration}</div></div>\n'
            for v in view.videos
        )
        boxes = "".join(
            f'<amp-lightbox id="lb-{v.id}" layout="nodisplay"><amp-youtube data-videoid="{v.id}" layout="responsive" width="480" height="270"></amp-youtube></amp-lightbox>'
            for v in view.videos
        )
        popular = "".join(
            f'<li><a href="{esc(a.path)}">{esc(a.title)}</a></li>' for a in view.most_read
        )
        picks = "".join(
            f'<div class="pick-i"><a href="{esc(a.path)}">{esc(a.title)}</a><p>{esc(a.dek)}</p></div>'
            for a in view.picks
        )
        scripts = "".join(
            f'<script async custom-element="amp-{c}" src="https://cdn.ampproject.org/v0/amp-{c}-0.1.js"></script>\n'
            for c in ("sidebar", "carousel", "social-share", "lightbox", "youtube")
        )
        return (
            '<!doctype html>\n<html amp lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(title)}</title>\n"
            '<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">\n'
            f"{meta}"
            "<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;animation:-amp-start 8s steps(1,end) 0s 1 normal both}</style>"
            "<noscript><style amp-boilerplate>body{-webkit-animation:none;animation:none}</style></noscript>\n"
            '<script async src="https://cdn.ampproject.org/v0.js"></script>\n'
            f"{scripts}<style amp-custom>{AMP_STYLE}</style>\n</head>\n<body>\n"
            '<header class="hdr"><button class="hamb" on="tap:nav.toggle" aria-label="Menu">&#9776;</button>'
            f'<a class="logo" href="/en/">{esc(self.spec.site_name.upper())}</a></header>\n'
            f'<amp-sidebar id="nav" layout="nodisplay" side="left"><ul class="nav">{nav}</ul></amp-sidebar>\n'
            f'<div class="tick"><span class="tick-l">{ui["ticker"]}</span><amp-carousel type="slides" layout="fixed-height" height="22" autoplay delay="4000">{tick}</amp-carousel></div>\n'
            f"<main>\n{main}"
            f'<section class="lst"><h2 class="sh">Latest</h2><ul class="lst-l">\n{latest}</ul></section>\n'
            f'<section class="vid"><h2 class="sh">Videos</h2><amp-carousel type="carousel" layout="fixed-height" height="200">\n{videos}</amp-carousel></section>\n'
            f'<section class="pop"><h2 class="sh">Most read</h2><ol>{popular}</ol></section>\n'
            f'<section class="pick"><h2 class="sh">{ui["picks"]}</h2>{picks}</section>\n'
            "</main>\n"
            f'<footer class="ftr"><p>&copy; 2025 {esc(self.spec.site_name)}. {esc(ui["rights"])}</p>'
            '<p><a href="/en/about/">About</a> · <a href="/en/contacts/">Contacts</a> · <a href="/en/terms/">Terms</a></p></footer>\n'
            f"{boxes}\n</body>\n</html>\n"
        )

    def article(self, a: Article, view: View) -> str:
        iso = a.published.isoformat()
        meta = (
            f'<link rel="canonical" href="{{{{BASE}}}}{esc(a.path)}">\n'
            f'<meta name="description" content="{esc(a.dek)}">\n'
            + json_ld(
                {
                    "@context": "https://schema.org",
                    "@type": "NewsArticle",
                    "headline": a.title,
                    "datePublished": iso,
                    "dateModified": iso,
                    "author": {"@type": "Organization", "name": self.spec.site_name},
                    "publisher": {
                        "@type": "Organization",
                        "name": self.spec.site_name,
                        "logo": {"@type": "ImageObject", "url": "/logo.png"},
                    },
                    "image": [f"/img/{a.number}.jpg"],
                }
            )
            + "\n"
        )
        share = "".join(
            f'<amp-social-share type="{t}" width="32" height="32"></amp-social-share>'
            for t in ("facebook", "twitter", "whatsapp", "telegram")
        )
        main = (
            '<article class="a">\n'
            f'<div class="a-sec"><a href="{self.section_path(a.topic)}">{esc(a.section)}</a></div>\n'
            f'<h1 class="a-h">{esc(a.title)}</h1>\n'
            f'<div class="a-meta"><time datetime="{iso}">{a.published.day} {a.published.strftime("%b %Y")}, {hm(a.published)}</time></div>\n'
            f'<amp-img class="a-img" src="/img/{a.number}.jpg" width="1200" height="675" layout="responsive" alt=""></amp-img>\n'
            f'<div class="a-body">\n{self.body(a)}\n</div>\n'
            f'<div class="a-share">{share}</div>\n</article>\n'
        )
        return self.page(f"{a.title} | {self.spec.site_name}", meta, view, main)

    def front(self, view: View) -> str:
        items = "".join(
            f'<li><a href="{esc(a.path)}">{esc(a.title)}</a><p>{esc(a.dek)}</p></li>\n'
            for a in view.articles[::-1][:20]
        )
        return self.page(
            self.spec.site_name, "", view, f'<section class="front"><ul>\n{items}</ul></section>\n'
        )


STYLE_CLASSES: dict[str, type[Style]] = {
    "wordpress": WordPress,
    "bitrix": Bitrix,
    "drupal": Drupal,
    "handmade": Handmade,
    "bootstrap": Bootstrap,
    "amp": Amp,
}


# ---------------------------------------------------------------------------------------------
# Several outlets, served; what a crawl stored, scored against the ground truth


class Outlets:
    """Outlets of the given styles, each on a local server of its own (its own loopback
    address), ``first`` articles published on each before the first poll."""

    def __init__(
        self,
        styles: Iterable[str] = STYLES,
        *,
        seed: int = 1,
        first: int = 8,
        start: datetime | None = None,
    ) -> None:
        self.styles = list(styles)
        self.seed, self.first, self.start = seed, first, start
        self.sites: list[Site] = []

    def __enter__(self) -> Self:
        for n, style in enumerate(self.styles):
            # each outlet on a loopback address of its own: sites of their own, as real outlets
            # are (politeness limits the requests in flight per host)
            server = OutletServer(root=None, host=f"127.0.0.{20 + n}").start()
            site = Site(SPECS[style], seed=self.seed, server=server, start=self.start)
            self.sites.append(site)
            site.publish(self.first)
        return self

    def __exit__(self, *exc: object) -> None:
        for site in self.sites:
            if site.server is not None:
                site.server.stop()

    def publish(self, n: int) -> None:
        for site in self.sites:
            site.publish(n)

    def articles(self) -> list[Article]:
        return [a for site in self.sites for a in site.articles]

    def sources(self) -> list[dict[str, Any]]:
        return [site.source() for site in self.sites]

    def write_config(self, directory: Path, database: str = "newsmon.db") -> Path:
        """A config with the outlets and the ``azerbaijan`` rule; alerts go to the console."""
        data = {"database": database, "sources": self.sources(), "rules": [RULE]}
        path = directory / "newsmon.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        return path


def read_store(db: Path) -> tuple[dict[str, str], set[str]]:
    """The stored articles (canonical URL → text) and the URLs of the alerted articles."""
    with sqlite3.connect(db) as conn:
        stored = dict(conn.execute("SELECT url, text FROM articles").fetchall())
        alerted = {
            url
            for (url,) in conn.execute(
                "SELECT a.url FROM alerts l JOIN articles a ON a.id = l.article_id "
                "WHERE l.rules LIKE ?",
                [f'%"{RULE["name"]}"%'],
            )
        }
    return stored, alerted


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass
class Tally:
    """Counts over articles; ``recall`` and ``precision`` are ratios of sums."""

    articles: int = 0
    stored: int = 0
    paragraphs: int = 0
    found: int = 0  # ground-truth paragraphs found in the stored text
    truth_chars: int = 0  # characters of the found paragraphs (stored articles)
    stored_chars: int = 0
    mentions: int = 0  # articles whose headline or body names Azerbaijan
    alerts: int = 0
    false_alerts: int = 0  # alerted, though the article does not name Azerbaijan
    missed_alerts: int = 0  # names it, not alerted
    leaks: int = 0  # stored text names Azerbaijan, the article does not
    by_url: dict[str, str] = field(default_factory=dict)  # the failures, for a report

    def add(self, other: Tally) -> None:
        for name in (
            "articles",
            "stored",
            "paragraphs",
            "found",
            "truth_chars",
            "stored_chars",
            "mentions",
            "alerts",
            "false_alerts",
            "missed_alerts",
            "leaks",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.by_url.update(other.by_url)

    @property
    def recall(self) -> float:
        return self.found / self.paragraphs if self.paragraphs else 1.0

    @property
    def precision(self) -> float:
        return min(1.0, self.truth_chars / self.stored_chars) if self.stored_chars else 1.0


def score_article(article: Article, text: str | None, alerted: bool) -> Tally:
    """One article against what was stored for it (``text`` None: not stored). Precision
    counts the characters of the ground-truth paragraphs found in the stored text against the
    stored characters: the body characters over the stored ones when every paragraph is
    found, and no credit for text that is not the article's."""
    t = Tally(articles=1, paragraphs=len(article.paragraphs), mentions=int(article.mentions))
    t.alerts = int(alerted)
    t.false_alerts = int(alerted and not article.mentions)
    t.missed_alerts = int(article.mentions and not alerted)
    problems = []
    if text is not None:
        stored = norm(text)
        t.stored = 1
        t.stored_chars = len(stored)
        found = [norm(p) for p in article.paragraphs if norm(p) in stored]
        t.found = len(found)
        t.truth_chars = sum(len(p) + 1 for p in found) - 1 if found else 0
        t.leaks = int(not article.mentions and mentions_watched(text))
        if t.found < t.paragraphs:
            problems.append(f"{t.paragraphs - t.found}/{t.paragraphs} paragraphs missing")
        if t.stored_chars > t.truth_chars * 1.1:
            problems.append(f"{t.stored_chars - t.truth_chars} characters not the article's")
    else:
        problems.append("not stored")
    if t.false_alerts:
        problems.append("alert from text around the article")
    if t.missed_alerts:
        problems.append("missed alert")
    if problems:
        t.by_url[article.url] = "; ".join(problems)
    return t


def score(
    articles: Iterable[Article], stored: dict[str, str], alerted: set[str]
) -> dict[str, Tally]:
    """Per article URL."""
    return {a.url: score_article(a, stored.get(a.url), a.url in alerted) for a in articles}


def total(tallies: Iterable[Tally]) -> Tally:
    out = Tally()
    for t in tallies:
        out.add(t)
    return out


def page_text_chars(page: str) -> int:
    """Characters of visible text of a page (what a reader sees: no scripts, styles)."""
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(page.encode())
    for bad in tree.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    body = tree.find("body")
    return len(norm((body if body is not None else tree).text_content()))


# ---------------------------------------------------------------------------------------------


def write_fixtures(directory: Path, seed: int = 1) -> list[Path]:
    """One article page per style, as served after a second poll, with a fictitious host."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for style, spec in SPECS.items():
        site = Site(spec, seed=seed)
        site.publish(8)
        site.publish(5)
        # an article that does not name Azerbaijan, next to sidebars that do
        article = next(a for a in site.articles[::-1] if not a.mentions)
        page = site.page(article).replace("{{BASE}}", site.base)
        path = directory / f"{style}-{spec.lang}.html"
        path.write_text(page)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory", type=Path, help="where to write one page per style")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    for path in write_fixtures(args.directory, args.seed):
        print(path)


if __name__ == "__main__":
    main()
