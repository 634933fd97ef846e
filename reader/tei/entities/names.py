"""Word lists and shape rules for names (no corpus-specific entries).

spaCy's small English model mislabels many Baltic and Russian names (it
calls "A. K. Sproģis" an ORG) and cannot read Cyrillic at all. These rules
say what a personal name looks like, so that such spans can be corrected,
and what words make a span an organisation or a place rather than a person.
"""

from __future__ import annotations

import re
from pathlib import Path

_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
_LOW = "a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıķĺļľŀłńņňŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżž"
#: A capitalised name word: "Sproģis", "O'Connor", "Bór-Komorowski".
WORD = rf"(?:[{_UP}]['’])?[{_UP}][{_LOW}]+(?:['’](?!s(?![{_LOW}]))[{_LOW}]+)?(?:-[{_UP}][{_LOW}]+)?"  # "Va'ad", not "Hume's"
INITIAL = rf"[{_UP}]\."
CYR_WORD = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
CYR_INITIAL = r"[А-ЯЁ]\."

PARTICLE = r"(?:von|van|de|der|dem|den|du|da|di|del|della|le|la|ten|ter|zu)"
PARTICLES = frozenset("von van de der dem den du da di del della le la ten ter zu y dos das".split())
#: Latin: "A. K. Sproģis", "M.I. Klementjev", "G. von Rauch", "George S. Patton".
LATIN_INITIALS_NAME = re.compile(
    rf"(?<![\w.])(?:{WORD}\s)?(?:{INITIAL}\s?){{1,3}}(?:{PARTICLE}\s(?:{PARTICLE}\s)?)?{WORD}(?!\w)"
)
#: Cyrillic: "Я.П. Крастынь", "В. Известный", and "Жуков Е.М.".
CYR_INITIALS_NAME = re.compile(
    rf"(?<![\w.])(?:(?:{CYR_INITIAL}\s?){{1,2}}{CYR_WORD}|{CYR_WORD}\s(?:{CYR_INITIAL}\s?){{1,2}})(?![\w])"
)
#: An author in a reference, surname first: "Simonsen, S.", "Mangulis, V.".
INVERTED_NAME = re.compile(rf"(?<![\w.])(?<![A-Z]\.\s)(?P<name>{WORD},\s(?:{INITIAL}\s?){{1,3}})(?=\s|$)")
#: (not "C. N. E. Eliot, C.B.": a name with its initials first, then an order's letters)
#: Titles before a personal name: "General Ivan Serov", "President Antanas Smetona".
TITLE_NAME = re.compile(
    r"(?<!\w)(?:General|Gen\.|President|Professor|Prof\.|Dr\.|Colonel|Col\.|Marshal|Admiral|Captain|Lieutenant|"
    r"Major|Commissar|Chancellor|Minister|Premier|Ambassador|Reichskommissar|Generalkommissar|Field Marshal|"
    r"Governor|Mayor|Senator|Chief|Prince|Princess|Emperor|Empress|Duke|Duchess|"
    r"Sergeant|King|Queen|Tsar|Pope|Bishop|Rabbi|Father|Mr\.|Mrs\.|Ms\.|Sir|Lord|Lady|Miss|Rev\.|Madame|"
    r"Earl|Viscount|Baron|Baroness|Marquess|Dame|Stadtholder|Viceroy|Elector|Sultan|Shah|Doge|Margrave|Don|Doña|Khedive|Cardinals?|"
    r"Archdeacon|Canon|Reverend|Imam|Sheikh|Archduke|Archduchess|Crown\sPrince|Mahatma|Pandit|Sardar|Maulana|Swami|(?:Lt\.?\s|Lieut\.?\s)?(?:Col|Gen|Maj|Capt|Cdr|Adm|Brig)\.?|Lt\.?|Sgt\.?|Cpl\.?)\s"
    rf"(?P<name>(?:(?:{INITIAL}\s?)|(?:[{_UP}]\s)|(?:{WORD}\s)|(?:{PARTICLE}\s)){{0,4}}{WORD})(?!\w)"  # "Captain H C Balneavis"
)

_ORDINAL = (
    r"(?:\d+(?:st|nd|rd|th)|First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|"
    r"Twelfth|Thirteenth|Fourteenth|Fifteenth|Sixteenth|Seventeenth|Eighteenth|Nineteenth|Twentieth)"
)
_UNIT = (
    r"(?:Army Group|Army|Armies|Divisions?|Corps|Squadrons?|Regiments?|Brigades?|Battalions?|Fleets?|Flotillas?|"
    r"Front|Wing|Legions?)"
)
#: What a regiment's name has in brackets: "(Lancashire)", "(East Suffolk)", "(2nd Somersetshire)".
_BRACKETED = rf"(?:{WORD}|\d+(?:st|nd|rd|th))(?:\s{WORD}){{0,2}}"
#: Ordinals named together: "26th", "26th and 62nd", "26th, 47th and 62nd" (units of one name, counted).
_ORDINALS = rf"{_ORDINAL}(?:,\s{_ORDINAL})*(?:,?\sand\s{_ORDINAL})?"
#: Numbered military units: "201st Latvian Riflemen Division", "Italian Tenth Army", "No. 303 Squadron".
MILITARY_UNIT = re.compile(
    rf"(?<![\w.])(?!(?:The|A|An|In|On|At|Of|By|From)\s)"
    rf"(?:(?:(?:{WORD}\s){{0,2}}{_ORDINALS}|No\.\s\d+)\s(?:\({_BRACKETED}\)\s)?(?:{WORD}\s){{0,3}}"
    rf"{_UNIT}(?:\s[A-Z](?!\w)|\sof\s(?:the\s)?(?:{WORD}\s){{0,3}}{WORD})?"
    rf"|{_ORDINALS}\s(?!(?:BC|AD|BCE|CE)(?!\w))[{_UP}]{{2,5}}"
    rf"|(?:{WORD}\s)?Army Group\s(?:[A-Z]|North|Centre|Center|South|Courland|Vistula)|"
    rf"Army Group\s(?:[A-Z]|North|Centre|Center|South|Courland|Vistula))(?!\w)"
)
#: A title of peerage after its ordinal ("1st Earl Amherst", "2nd Duke of Wellington"): a title, no mention
#: of a person or a place (the holder is named elsewhere: "William Amherst, 1st Earl Amherst").
PEERAGE = re.compile(
    rf"(?<![\w.])\d+(?:st|nd|rd|th)\s(?:Earl|Duke|Marquess|Marquis|Viscount|Baron|Baronet|Count)"
    rf"\s(?:of\s)?{WORD}(?:\s{WORD})?(?!\w)"
)
#: Prepositions after which a bare name is a place ("at El Alamein", "raids on Coventry").
LOCATIVE = re.compile(
    r"(?:\b(?:at|near|in|into|outside|towards|around|on|behind|across|beyond|through)\s+(?:the\s+)?)$"
)
#: A capitalised word after a locative preposition, in mid-sentence: "boats from Ramsgate".
LOCATIVE_CITY = re.compile(
    rf"(?<=[a-z,] )(?:at|near|in|into|from|to|outside|towards|around|reached|between)\s(?P<name>{WORD}(?:\s{WORD})?)"
    rf"(?:(?:,\s|\sand\s|\sor\s)(?P<name2>{WORD}))?(?![\w-])"
)
#: A height named by its number, as in military texts: Hill 112, Hill "93,4", Height 203.5.
NUMBERED_HEIGHT = re.compile(r"(?<![\w.])(?:Hill|Height)\s[\"“]?\d+(?:[.,]\d+)?[\"”]?(?![\w.,]\d)")
#: A capitalised word, an ordinal ("3rd", "Third"), an acronym ("NZW"), a possessive ("People's") or a trade
#: ("Cotton-spinners") inside a name.
_NAME_PART = rf"(?:St\.|[{_UP}][{_LOW}]+-[{_LOW}]+ers(?![\w-])|{WORD}(?:['’]s)?|[{_UP}][{_UP}0-9]{{1,5}}|\d+(?:st|nd|rd|th)|[{_UP}][{_LOW}]+(?:an|ish|ese|ic)[–-][{_UP}][{_LOW}]+)"
#: Nouns that head an organisation's name: "Estonian Defence League", "Council of Ministers".
ORG_HEADS = (
    "Order Orders League Council Party Bloc Brigade Brigades Regiment Division Divisions Front Committee Army Armies "
    "Union Ministry Confederation Knights Brethren Brothers Corps Battalion Company Directorate Institute Forces "
    "Guard Guards Militia Navy Commission Commissariat Assembly Congress Tribunal Bureau Agency Police Legion "
    "Squadron Fleet Flotilla Movement Association Society Church Academy University Federation Alliance "
    "Organisation Organization Cabinet Parliament Senate Riflemen Rifles Command Service Office Club Constabulary "
    "Gendarmerie Railway Railroad Secretariat Presbytery Synod Congregation Disciples Churches School Schools College "
    "Klan Consulate Embassy Legation Motors Electric Mills Dynamics Industries Airway Airways Airlines Board Authority "
    "Executive Transport Railways Fund Foundation"
).split()
#: Buildings and grounds whose names end in their noun: "Horton Hall", "Adelaide Oval", "Acadia University Archives".
_GROUNDS = "Archives Gallery Museum Library Campus Hall Oval Stadium".split()
#: Nouns that head a place's name: "Duchy of Estonia", "Bielsk County", "Lithuanian SSR", "Russian Empire".
PLACE_HEADS = (
    r"Duchy Grand\sDuchy Principality Kingdom Empire Republic SSR SFSR ASSR Bishopric Archbishopric Governorate "
    "Voivodeship County Oblast Krai Province Region District Parish Gulf Lake Sea Bay River Island Islands "
    "Peninsula Mountains Commonwealth Khanate Margraviate Electorate Palatinate Land Territory Canton "
    "Municipality Rayon Uyezd Guberniya Gubernia Cape Tropic Isthmus Colony Protectorate Prison Gaol Basin "
    r"Free\sState Sultanate Emirate Caliphate Imamate Viceroyalty Captaincy\sGeneral Audiencia"
).split() + _GROUNDS
#: "the Third International" (not "the Second International Peace Conference", "Shanghai International Settlement").
_ORG_HEAD = "(?:" + "|".join(ORG_HEADS) + rf"|International(?!\s[{_UP}]))"
#: A company's legal suffix, inside its name: "Birmingham Metal and Munitions Company Limited", "BSA Cycles Ltd".
_LIMITED = r"(?:\s(?:Limited|Ltd\.?|Inc\.|plc))?"
_PLACE_HEAD = "(?:" + "|".join(PLACE_HEADS) + ")"
#: Plural nouns of members that end a body's name after "and": "… of Organized Trades and Labor Unions".
_MEMBERS = r"(?:Unions|Workers|Societies|Associations|Employees|Trades|Crafts|Laborers|Labourers)(?![\w'’-])"
_OF_TAIL = (
    rf"(?:\s(?:of|for)\s(?:the\s)?(?:{_NAME_PART}\s){{0,4}}{_NAME_PART}"
    # a list of three or more: "School of Humanities, Arts, and Social Sciences"
    rf"(?:(?:,\s(?:{_NAME_PART}\s){{0,2}}{_NAME_PART})+,?\sand\s(?:{_NAME_PART}\s){{0,2}}{_NAME_PART}"
    rf"|\sand\s(?:{_NAME_PART}\s{_MEMBERS}|{_NAME_PART}(?![\w'’-])(?!\s[{_UP}]))(?!\s(?:of|for)\s))?)"
    # "Ministry of Post and Telegraphs", "Federation of Organized Trades and Labor Unions"
)
_PLACE_OF_TAIL = rf"(?:\sof\s(?:the\s)?(?:{_NAME_PART}\s){{0,4}}{_NAME_PART})"
#: Heads of states' names, which may go on with "of …": "Autonomous Republic of Crimea".
_STATE_HEAD = "(?:Republic|Kingdom|Duchy|Grand\\sDuchy|Principality|Empire|Commonwealth|Khanate)"
_NOT_FIRST = r"(?!(?:The|A|An|In|On|At|Of|By|From|For|To|And|But|After|Before|During|Since|Under|With|This|That|As)\s)"
#: An organisation named by its head noun: modifiers + head ("Polish People's Army"), or head + "of …"
#: ("Council of Ministers of the Soviet Union", "3rd Brigade of NZW", "Livonian Brothers of the Sword").
ORG_NAME = re.compile(
    rf"(?<![\w’-])(?<!\w')(?:{_NOT_FIRST}{_NAME_PART}\s){{0,4}}(?:{_ORG_HEAD}(?:\s(?:Company|Corporation|Co\.?))?|Co\.)"
    rf"{_LIMITED}(?!\w)(?!['’]\w\w)"
    rf"{_OF_TAIL}{{0,3}}(?![\w-])"
)
#: Heads of companies' and societies' names that may follow words joined by commas, "and" or "&".
COMPANY_HEADS = (
    "Railway Railroad Company Corporation Bank Canal Society Club Association Commission Committee Board Institute"
).split()
#: A company named by a list, after "the": "the Toronto, Hamilton and Buffalo Railway", "the Quebec, Montreal,
#: Ottawa & Occidental Railway", "the North Western Coal and Navigation Company" (one name, the places inside it).
LISTED_COMPANY = re.compile(
    rf"(?:(?<=\b[Tt]he\s)|(?<=[a-z]\s))(?:{_NAME_PART}\s){{0,3}}{_NAME_PART}(?:,\s(?:{_NAME_PART}\s){{0,2}}{_NAME_PART}){{0,4}},?\s(?:and|&)\s"
    rf"(?:{_NAME_PART}\s){{0,3}}(?:{'|'.join(COMPANY_HEADS)})(?:\s(?:Company|Corporation))?{_LIMITED}(?![\w'’-])"
)
#: An owner's name in the possessive before his company's: "Hugh Allan's" + "Canada Pacific Railway Company".
OWNER_POSSESSIVE = re.compile(rf"(?P<owner>{WORD}(?:\s(?:{WORD}|{INITIAL})){{1,3}})['’]s\s")
#: Lower-case nouns that say a name is a place's: "the village of Zanie", "the Białystok region".
_PLACE_NOUNS = (
    r"(?:city|town|village|villages|region|province|district|county|parish|island|river|lake|castle|"
    r"fortress|monastery|camp|prison|port|harbour|harbor|territory|duchy|voivodeship|oblast|governorate|mine|station|"
    r"oil\sfield|oilfield|goldfield|coalfield)"
)
#: A place named by its head noun: "Bielsk County", "Krasnoyarsk Krai", "Duchy of Estonia", "State of the Teutonic Order".
PLACE_NAME = re.compile(
    rf"(?<![\w’-])(?<!\w')(?:City\sand\sCounty\sof\s(?:{WORD}\s)?{WORD}|"  # "the City and County of San Francisco"
    rf"(?:{_NOT_FIRST}{WORD}\s)?(?:{_PLACE_HEAD}|State|States|Kingdoms)\sof\s(?:the\s)?"
    rf"(?:{_NAME_PART}\s){{0,3}}{_NAME_PART}(?![\w'’-])(?!\s{_PLACE_NOUNS}\b)"  # "the Conventional Basin of the
    # Congo" (the longer reading first), not "Puze Parish of Ventspils county" (a parish in a county)
    rf"|(?:{_NOT_FIRST}{_NAME_PART}\s){{1,4}}(?:(?:{_STATE_HEAD})(?:{_PLACE_OF_TAIL})?|{_PLACE_HEAD})(?!\w)(?!['’]\w\w)"
    rf"|Cape\s{WORD}\s{WORD}(?=[.,;:]|$)"  # "Cape Steen Bille." (a name of two words before punctuation)
    rf"|(?:Lake|Mount|Cape|Fort|Camp|County|Río|Rio|Lago|Monte|Cerro|Sierra|Isla|Puerto|Los|Las|Villa|Schloss|Palazzo|"
    rf"Château)\s{WORD}"  # "Río Verde", "Villa Hügel"
    rf"|Wat(?:\s{WORD}){{1,3}})"  # a Thai temple: "Wat Bowonniwet Vihara"
    rf"(?![\w-])"
)
#: A commission or committee "on" its subject: "the Royal Commission on London Government".
COMMISSION_ON = re.compile(
    rf"(?<![\w’-])(?:{_NOT_FIRST}{_NAME_PART}\s){{0,2}}(?:Commission|Committee|Council)\son\s(?:the\s)?"
    rf"(?:{_NAME_PART}\s){{0,3}}{_NAME_PART}{_OF_TAIL}{{0,2}}(?![\w-])"  # "… on the Elimination of Racial Discrimination"
)
#: German compounds naming units and parties, with a name or an adjective beside them:
#: "Freikorps Lützow", "Marinebrigade Ehrhardt", "Baltische Landeswehr", "Deutsche Arbeiterpartei".
GERMAN_ORG = re.compile(
    rf"(?<![\w-])(?:{WORD}\s)?[{_UP}][{_LOW}]*(?:korps|brigade|division|regiment|partei|wehr|bund|"
    rf"kommando|gruppe|armee|abteilung|staffel)(?:\s{WORD})?(?![\w-])"
)
#: Irish bodies named by their head noun and an article: "Cumann na mBan", "Clan na Gael", "Conradh na Gaeilge".
CELTIC_ORG = re.compile(
    rf"(?<![\w'’-])(?:Cumann|Clann?|Conradh|Óglaigh|Comhairle|Craobh)\s(?:na|an|nan)\s[a-zh]{{0,2}}[{_UP}][{_LOW}]+(?![\w'’-])"
)
#: Bodies named in a Romance language by their head noun first: "Partido Tradicionalista", "Comunión
#: Tradicionalista", "Juventud Católica Tradicionalista", "Compañía de Seguros Omnia", "Parti radical".
ROMANCE_HEADS = (
    "Partido Partida Partito Parti Comunión Juventud Unión Unione Union Compañía Compañia Compagnie Compagnia "
    "Junta Falange Sociedad Società Société Banco Banca Banque Confederación Confédération Confederazione "
    "Federación Fédération Federazione Acción Action Azione Círculo Centro Liga Ligue Lega Ministerio Ministère "
    "Ministero Consejo Conseil Consiglio Comité Comitato Asociación Association Associazione Movimiento Movimento "
    "Mouvement Frente Fronte Front Real Guardia Guarda Ejército Esercito Armée Cortes Congreso Senado Club Casa Legión"
).split()
_ROMANCE_LINK = r"(?:de|del|de\sla|de\slos|de\slas|di|del|della|dei|degli|des|du|de\sl['’]|d['’]|y|e|et)"
ROMANCE_ORG = re.compile(
    rf"(?<![\w-])(?:{'|'.join(ROMANCE_HEADS)})(?:\s(?:{_ROMANCE_LINK}\s)?(?:{WORD}|[{_UP}][{_LOW}]+)){{1,4}}(?![\w-])"
)
#: A French, Spanish or Italian body's name in its own capitalisation, its adjectives in lower case: "Parti rouge",
#: "Fédération nationale des syndicats", "Institut canadien de Montréal" (heads no English word shares).
_ROMANCE_ONLY_HEADS = (
    "Parti Partido Partito Fédération Federación Federazione Confédération Confederación Confederazione Société "
    "Sociedad Società Compagnie Compañía Institut Instituto Istituto Comité Comitato Ligue Lega Mouvement Movimiento "
    "Movimento Ministère Ministerio Ministero Conseil Consejo Consiglio Asociación Associazione Banque Banco Unione"
).split()
_ENGLISH_SMALL = (
    "was were is are has had have and but not the his her its their this that with from into for which who whom when "
    "while after before since until during over under than then also only became become formed founded led won lost"
)
_ADJECTIVE = rf"\s(?!(?:{_ENGLISH_SMALL.replace(' ', '|')}|de|des|del|della|dei|degli|du)\b)[{_LOW}]{{3,}}"
_LINKED = rf"\s{_ROMANCE_LINK}\s(?:[{_LOW}]{{3,}}|{WORD})(?:{_ADJECTIVE})?"
ROMANCE_LOWER_ORG = re.compile(
    rf"(?<![\w-])(?:{'|'.join(_ROMANCE_ONLY_HEADS)})(?:{_ADJECTIVE}(?:{_LINKED}){{0,2}}|(?:{_LINKED}){{1,2}})(?![\w-])"
)
#: A person's names joined by particles and "y": "Dolz de Espejo y González de la Riva".
ROMANCE_NAME_TAIL = re.compile(
    rf"\s(?:de|del|de\sla|de\slos|da|do|dos|das|di|della|y|van(?:\sder|\sden)?|von(?:\sder)?|ter|ten)\s{WORD}(?:-{WORD})?"
)  # and Dutch and German ones: "Johannes Diderik" + " van der Waals"
#: A surname joined by a Romance particle, with no word of a body or a place: "Vázquez de Mella", "Dolz de Espejo".
ROMANCE_SURNAME = re.compile(rf"{WORD}(?:\s(?:de|del|de\sla|de\slos|da|do|dos|di|della|y)\s{WORD}(?:-{WORD})?)+")
#: A Romance title of nobility before the place it names: "Conde de Rodezno", "Marqués de Villa Alcázar".
ROMANCE_TITLE = re.compile(
    rf"(?<![\w-])(?:Conde|Condesa|Marqu[ée]s|Marquesa|Duque|Duquesa|Comte|Comtesse|Duc|Conte|Contessa|Marchese|"
    rf"Duca|Barón|Baronesa|Vizconde)\s(?:de\sla\s|de\slos\s|de\s|di\s|du\s|della\s)?(?P<name>{WORD}(?:\s{WORD})?)(?![\w-])"
)
#: A ruler or cleric named by a regnal number: "Innocent III", "Valdemar IV", "Gustav I".
#: (A numeral of two letters or more may end a sentence, "reigned as Rama VI."; one letter before a full stop is an
#: initial: "John V. Smith".)
REGNAL_NAME = re.compile(
    rf"(?<![\w.])(?P<name>{WORD}\s(?:[IVX]{{2,4}}(?!\w)(?!\.\w)|[IVX](?![\w.])))(?:\s(?P<house>{WORD})(?![\w'’-]))?"
)
#: "… of Place" after a given or regnal name is part of the name: "Albert of Riga", "Valdemar II of Denmark".
EPITHET = re.compile(rf"\sof\s(?:the\s)?(?P<place>{WORD}(?:[\s-]{WORD})?)(?![\w'’])")  # "William I of the Netherlands"
#: Two single names joined by "and" with no word of an organisation ("Wynn and Davies"): two people or
#: places named together, not a firm (which writes "&" or has its noun: "Marks & Spencer", "Smith and Sons Ltd").
PAIR_OF_NAMES = re.compile(rf"({WORD})\sand\s({WORD})")
#: Kinds of body convened for a case, not names: "a Court of Inquiry", "a Court Martial", "a Royal Commission".
INQUIRY = re.compile(
    r"(?:Court|Board|Commission)s?(?:\sof\s(?:Inquiry|Enquiry)|[\s-]Martial)|Royal\sCommissions?"
    r"|Boards?\sof\s(?:Directors|Trustees|Governors|Management)"
)
#: Alliances of states named by their side: "the Central Powers", "the Allied Powers" (no body of their own).
COALITION = re.compile(r"(?:Central|Allied|Entente|Axis|Great|European|Western)\sPowers")
#: States named by their ruler's office alone ("the Sultanate", "the Khedivate"): a kind of state, not a name.
STATE_OFFICES = frozenset("Sultanate Khedivate Emirate Caliphate Khanate Shogunate Regency Protectorate".split())
#: Endings of words for peoples and their languages ("Burmese", "Estonians", "Danish").
DEMONYM = re.compile(r"(?:ese|ians?|ish|phones?)$")
#: Words that make a capitalised word an ideology or movement, never a place or person ("Bolshevik", "Marxist").
MOVEMENT_SUFFIX = re.compile(r"(?:ist|ists|ism|isms|ik|iks|ite|ites|ista|istas|isti)$")
#: A people in the plural ("Africans", "Europeans", "Indians"): no place, no person.
PEOPLE_PLURAL = re.compile(r"[A-Z][a-z]{3,}ans")
#: A people named by what they do, in the plural ("the Volunteers", "the Mountaineers"): no place, no person.
AGENT_PLURAL = re.compile(r"(?:Ex-)?[A-Z][a-z]+(?:eers|aires|onnaires)")
#: Lower-case nouns after which a capitalised word names a movement or group, not a place: "Weimar paramilitary groups".
GROUP_NOUNS = re.compile(
    r"\s(?:paramilitary|movement|movements|uprising|groups|sympathies|sympathizers|sympathisers|ideology|regime|"
    r"partisans|guerrillas|nationalists|activists|militants|revolutionaries|language|languages|speakers|dialects?)\b"
)
#: A place named with a lower-case noun that says what it is: "the village of Zanie", "Łozice village",
#: "present-day Estonia", "the Białystok region".
PLACE_BY_NOUN = re.compile(
    rf"(?:(?<=\s){_PLACE_NOUNS}\sof\s(?P<of>{WORD}(?:[\s-]{WORD})?)(?![\w'’-])"
    rf"|(?<![\w'’-])(?P<before>{WORD}(?:[\s-]{WORD})?)\s(?={_PLACE_NOUNS}\b)"
    rf"|(?<=present-day\s)(?P<present>{WORD}(?:\s{WORD})?)(?![\w'’-]))"
)
#: A lead sentence that defines a name: "Livonia (…) is a historical region", "Jaan Maide (…) was a senior officer".
DEFINITION = re.compile(
    rf"^(?:The\s)?(?P<name>{WORD}(?:[\s-](?:{WORD}|of|the)){{0,5}})(?:,[^,]{{1,40}},)?\s(?:\([^()]*\)\s)?"
    r"(?:is|was|are|were)\s(?:an?|the)\s(?:[\w-]+\s){0,4}?(?P<noun>"
    r"region|city|town|village|country|state|province|county|river|lake|island|territory|district|municipality|parish|"
    r"republic|duchy|kingdom|principality|"
    r"organisation|organization|party|unit|brigade|army|order|union|league|council|committee|ministry|militia|"
    r"officer|politician|historian|general|writer|poet|priest|bishop|king|duke|leader|commander|statesman|"
    r"journalist|lawyer|scientist|artist|soldier|diplomat|activist|revolutionary)\b"
)
#: A congress named after the city it met in is a meeting, an event: "the Congress of Berlin", "the International
#: Anarchist Congress of Amsterdam" (not "Congress of Industrial Organizations").
CONGRESS_OF = re.compile(rf"(?<![\w'’-])(?:{WORD}\s){{0,3}}Congress\sof\s(?P<city>{WORD})(?![\w'’-])")
#: Places named in the plural, mostly ranges and regions, which the plurals of peoples ("Africans") do not take in.
PLURAL_PLACES = frozenset(
    "Balkans Carpathians Urals Alps Andes Pyrenees Apennines Himalayas Rockies Appalachians Dolomites Ardennes "
    "Vosges Highlands Lowlands Midlands Tropics Cyclades Dardanelles Hebrides Orkneys Shetlands Azores Canaries "
    "Philippines Moluccas Antilles Bahamas Maldives Seychelles Netherlands".split()
)
#: The Red Cross and the Red Crescent, bodies though "Cross" names awards ("Iron Cross"): "the American Red Cross".
RED_CROSS = re.compile(rf"(?<![\w'’-])(?:(?:{WORD})\s)?Red\s(?:Cross|Crescent)(?:\sSociety)?(?![\w'’-])")
#: Peoples named in the plural, which are no place, body or person ("ethnic Greeks", "the Swazis", "very few Scots").
PEOPLES = frozenset(
    "Greeks Turks Arabs Kurds Serbs Croats Slovaks Czechs Poles Swedes Danes Finns Scots Moors Jews Boers Zulus Swazis "
    "Tatars Tartars Cossacks Basques Bretons Celts Gaels Franks Goths Saxons Normans Slavs Balts Magyars Maori Xhosa "
    "Swahili Bantu Muslims Moslems Christians Catholics Protestants Hindus Buddhists Sikhs Mormons Quakers Methodists "
    "Anglicans Lutherans Baptists Puritans Huguenots Esquimaux Eskimos Inuit Criollo Criollos Creole Creoles Mestizo "
    "Mestizos Mulatto Mulattoes Ladino Ladinos".split()
)
#: A lead sentence naming its subject twice: "UNIFICATION OR DEATH, popularly known as the BLACK HAND (…), was a
#: secret military society" (both names, in capitals or not, are what the noun says).
_LEAD_WORD = rf"[{_UP}][\w'’-]*"
ALIAS_DEFINITION = re.compile(
    rf"^(?:The\s)?(?P<name>{_LEAD_WORD}(?:\s(?:{_LEAD_WORD}|of|the|and|or)){{0,5}})(?:\s\((?P<short>[{_UP}]{{2,6}})\))?,\s"
    rf"(?:(?:popularly|commonly|also|better|officially)\s)?(?:known\sas|referred\sto\sas|called)\s(?:the\s)?"
    rf"(?P<alias>{_LEAD_WORD}(?:\s(?:{_LEAD_WORD}|of|the|and|or)){{0,5}})"
    r"(?:\s\([^()]*\))?,\s(?:is|was)\san?\s(?:[\w-]+\s){0,4}?(?P<noun>"
    r"organisation|organization|party|society|brotherhood|movement|league|association|union|army|company|council|"
    r"republic|state|country|kingdom|colony|territory|province)\b"
)
#: The same with the other names in the brackets and a clause before the verb: "The MOTION PICTURE PATENTS COMPANY
#: (MPPC, also known as the EDISON TRUST), founded in December 1908 …, was a trust".
ALIAS_IN_BRACKETS = re.compile(
    rf"^(?:The\s)?(?P<name>{_LEAD_WORD}(?:\s(?:{_LEAD_WORD}|of|the|and|or)){{0,5}})\s\((?P<short>[{_UP}]{{2,6}}),\s"
    rf"(?:(?:popularly|commonly|also|better|officially)\s)?(?:known\sas|referred\sto\sas|called)\s(?:the\s)?"
    rf"(?P<alias>{_LEAD_WORD}(?:\s(?:{_LEAD_WORD}|of|the|and|or)){{0,5}})\)(?:,\s[^,;]{{1,120}})?,\s(?:is|was)\san?\s"
    r"(?:[\w-]+\s){0,4}?(?P<noun>organisation|organization|party|society|brotherhood|movement|league|association|union|"
    r"army|company|council|trust|cartel|syndicate|corporation|firm|republic|state|country|kingdom|colony|territory|"
    r"province)\b"
)
#: A list of names after a plural noun of bodies: "two companies: Edison and Biograph", "film companies and local
#: branches (Edison, Biograph, Vitagraph)", "banks such as Barings and Rothschilds".
_LIST_NAME = rf"(?:{WORD}|[{_UP}]{{2,5}})(?:\s(?:{WORD}|&)){{0,2}}"
BODIES_LISTED = re.compile(
    rf"\b(?:companies|firms|studios|corporations|manufacturers|banks|railways|parties|unions|societies|clubs)\b"
    rf"[^.;:()—–]{{0,40}}?(?::\s|\s\(|\s[—–]\s|,?\s(?:such\sas|including)\s)"
    rf"(?P<names>{_LIST_NAME}(?:,\s{_LIST_NAME})*,?\s(?:and|or)\s{_LIST_NAME}|{_LIST_NAME}(?:,\s{_LIST_NAME})+)"
    rf"(?![\w'’-])"
)
#: A name and, after a comma, what it is: "the Tongmenghui, an important revolutionary brotherhood".
APPOSITION = re.compile(
    rf"(?<=\bthe\s)(?P<name>{WORD}(?:[\s-](?:{WORD}|of|the)){{0,5}}),\san?\s(?:[\w-]+\s){{0,3}}?(?P<noun>"
    r"region|city|town|village|country|province|county|river|lake|island|territory|district|settlement|colony|fortress|"
    r"organisation|organization|party|brotherhood|society|syndicate|gang|association|company|academy|university|league|"
    r"council|committee|ministry|militia|union|army|brigade)\b"
)
#: A body's acronym said to be one: "known in Hebrew by its acronym "Etzel"", "its initials IWW".
ACRONYM_CALLED = re.compile(
    rf"\b(?:its|their|the)\s(?:acronym|abbreviation|initials)\s[\"“]?(?P<name>{WORD}|[{_UP}]{{2,6}})\b"
)
#: An ordinal and one word that is no place's or body's noun: "the Third Aliyah", "the Second Awakening".
ORDINAL_WAVE = re.compile(
    r"(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)\s(?!(?:Republic|Reich|Empire|Kingdom|"
    r"Army|Fleet|Corps|Division|Brigade|Regiment|International|Avenue|Street)\b)[A-Z][a-z]+"
)
#: Words of kinship, which make the name before or after them a person's.
_KIN = (
    r"(?:brother-in-law|son-in-law|son|daughter|wife|husband|widow|widower|brother|sister|father|mother|nephew|niece|"
    r"grandson|granddaughter|grandfather|grandmother|cousin|uncle|aunt|heir|stepson|stepfather)"
)
#: A kinsman after a possessive makes its owner a person: "Napoleon's third brother", "Abdullah's widow".
KIN_AFTER = re.compile(
    rf"['’]s\s(?:(?:first|second|third|fourth|fifth|eldest|elder|younger|youngest|only|late|own)\s)?{_KIN}s?\b"
)
#: A body named after the words that say it was formed: "the first nationalist movement was formed, Budi Utomo",
#: "a mass movement was founded: Sarekat Islam".
FORMED_BODY = re.compile(
    r"\b(?:movement|party|organi[sz]ation|union|society|association|league|club|company|federation)\s(?:was|were)\s"
    rf"(?:formed|founded|established|created)[,:]\s(?:the\s)?(?P<name>{WORD}(?:\s{WORD}){{0,3}})(?![\w'’-])"
)
#: A person's name and, after a comma, his calling, or his calling and "named": "Crystal Eastman, an attorney
#: activist", "a young politician named Eleftherios Venizelos".
_CALLINGS = (
    r"attorney|lawyer|politician|journalist|activist|writer|poet|novelist|painter|priest|minister|bishop|officer|"
    r"soldier|general|merchant|banker|industrialist|engineer|scientist|physician|doctor|teacher|professor|historian|"
    r"philosopher|economist|diplomat|explorer|missionary|businessman|businesswoman|reformer|suffragist|socialist|"
    r"anarchist|trade\sunionist|lecturer|editor|publisher|inventor|architect|composer|singer|actor|actress"
)
PERSON_APPOSITION = re.compile(
    rf"(?<![\w'’.-])(?P<name>{WORD}(?:\s(?:{WORD}|{INITIAL})){{1,3}}),\s(?:an?\s|the\s)?(?:[\w-]+\s){{0,2}}?(?:{_CALLINGS})\b"
    rf"|\b(?:{_CALLINGS}|man|woman)\snamed\s(?P<named>{WORD}(?:\s{WORD}){{0,3}})(?![\w'’-])"
)
#: A text about sports clubs, where a town's name stands for its club: "Football Club", "premiership".
SPORTS_TEXT = re.compile(
    r"\b(?:Football|Cricket|Rugby|Base\s?[Bb]all|Hockey|Soccer)\s(?:Club|League|Association)\b|\bpremierships?\b"
)
#: A team named by its town and a plural, in a text about sport: "the Chicago White Stockings", "New York
#: Knickerbockers" (the plural alone, "the Knickerbockers", is the team too).
TOWN_TEAM = re.compile(rf"(?<![\w'’-])(?:{WORD}\s){{1,3}}[{_UP}][{_LOW}]+[^s\W]s(?![\w'’-])")
#: A club by its town's name as a side of a match: "Norwood won", "against Geelong", "defeat Port Adelaide".
SIDE_OF_MATCH = re.compile(
    rf"(?<![\w'’-])(?P<subject>{WORD}(?:\s{WORD})?)(?:['’]s)?\s(?:won|defeated|overcame|beat|drew|lost|played|hosted|"
    rf"went\son\sto\sdefeat)\b"
    rf"|\b(?:against|defeated|defeat|overcame|beat|premiers)\s(?P<object>{WORD}(?:\s{WORD})?)(?![\w'’-])"
)
#: A currency's country before its sign: "US$1,055", "NZ$" (no mention of the country).
CURRENCY = re.compile(
    r"(?<![\w'’-])(?:US|U\.S\.|A|C|NZ|HK|S)\$"
    # "the Palestine pound", "the Straits dollar": a currency's name (its country no mention)
    rf"|(?<![\w'’-])(?:{WORD}\s){{1,2}}(?=(?:pound|dollar|franc|mark|rupee|peso|lira|r[ou]ble|shilling|guilder|florin|"
    r"escudo|real|rial|dinar|piastre|yen)s?\b)"
)
#: Places on a route, joined by dashes: "London–Paris–Marseille", "Southampton–Guernsey" (each a place of its own).
_STOP = rf"[{_UP}][{_LOW}]+(?:\s[{_UP}][{_LOW}]+)?"
ROUTE = re.compile(rf"(?<![\w'’-]){_STOP}(?:[–-]{_STOP})+(?![\w'’-])")
#: A lawsuit by its parties: "Debs v. United States", "The State of Tennessee v. John Thomas Scopes" (a title, no mention).
CASE_NAME = re.compile(
    rf"(?<![\w'’-])(?:{WORD}\s(?:of\s)?){{0,3}}{WORD}\sv\.?\s{WORD}(?:\s(?:{WORD}|of|the)){{0,5}}(?<!\sof)(?<!\sthe)(?![\w'’-])"
    # a case's full title in brackets: "(The People of the State of California ex rel … vs. Henry P. Coon, Mayor …)"
    r"|\((?=[^()]{0,400}\s(?:v|vs)\.\s)[^()]{0,400}\)"
)
DEFINED_TYPE = {
    **dict.fromkeys(
        "region city town village country state province county river lake island territory district "
        "municipality parish republic duchy kingdom principality settlement colony fortress".split(),
        "placeName",
    ),
    **dict.fromkeys(
        "organisation organization party unit brigade army order union league council committee "
        "ministry militia brotherhood society syndicate gang association company academy university movement "
        "trust cartel corporation firm".split(),
        "orgName",
    ),
}
#: What a text says a name is, before it and a bracketed gloss: "a mainly socialist underground Jewish militia,
#: Haganah ("Defense")", "the first entirely Hebrew-speaking city, Ahuzat Bayit (later renamed Tel Aviv)".
NOUN_BEFORE_NAME = re.compile(rf"\b(?P<noun>{'|'.join(DEFINED_TYPE)}),\s(?P<name>{WORD}(?:[\s-]{WORD}){{0,3}})\s\(")

#: Named events, whose names are not mentions: "Battle of Velikiye Luki", "Siege of Leningrad", "the Battles of
#: Narva and Riga" (the places inside them neither).
EVENT_NAME = re.compile(
    rf"(?<!\w)(?:Battles?|Sieges?|Treaty|Treaties|Pacts?|Peace|Conference|Massacre|Uprising|Offensive|Operation|Partition|Revolution|"
    rf"Crusade|Rebellion|Revolt|Putsch|Pogrom|Invasion|Annexation|Declaration|Chronicle|Chronicles|"
    rf"Annals|Statute|Statutes)\s+of\s+(?:the\s+)?"
    rf"{WORD}(?:\s(?:{WORD}|of|the|and))*(?<!\sof)(?<!\sthe)(?<!\sand)"
)
#: "a"/"an" and perhaps an adjective before a name: "an [Irish Brigade]", "an independent [Irish Republic]".
INDEFINITE_BEFORE = re.compile(r"(?<![\w'’-])[Aa]n?\s(?:[a-z]+\s)?$")
#: ... or before a name joined by "or"/"and" to a first one: "a Military Committee or [Military Council]".
INDEFINITE_OR = re.compile(rf"(?<![\w'’-])an?\s(?:[a-z]+\s)?{WORD}(?:\s{WORD}){{0,3}}\s(?:or|and)\s$")
#: What ends a noun phrase after a name: punctuation, or a word that no noun is ("while", "which", "made").
PHRASE_END = re.compile(
    r"\s?[,.;:)!?]|\s(?:or|and|but|while|which|that|who|whose|within|in|of|with|to|for|from|at|by|on|made|was|"
    r"were|is|had|has|would|could|should|as)\b|\s*$"
)
#: A lower-case event's noun after a name makes it the event's ("the Soloheadbeg ambush", "the Thibodaux massacre",
#: "the Irish Home Rule movement"), unless the name's own words say it is a body ("Ballarat Reform League movement").
EVENT_NOUN_AFTER = re.compile(
    r"\s(?:ambush|massacre|raid|riots?|uprising|rebellion|revolt|mutiny|strike|lock-out|lockout|affair|incident|pogrom|"
    r"putsch|coup|movement|insurrection|bombing|bombings|reforms)\b"
)
#: A lower-case party's noun after a name: "the reconstituted [Sinn Féin] party".
PARTY_AFTER = re.compile(r"\s(?:party|parties)\b")
#: " and Ireland" after "United Kingdom of Great Britain": one state's name.
AND_PLACE = re.compile(
    rf"(?:,\s(?:the\s)?{WORD}(?:\s{WORD})?)*,?\sand\s(?:the\s)?(?P<place>{WORD}(?:\s{WORD})?)(?![\w'’-])"
)  # " and Ireland", ", Brazil, and the Algarves"
#: Words that make up titles and offices: "Chief-of-Staff", "Prime Minister", "Director-General".
OFFICE_WORDS = frozenset(
    "Chief Staff Secretary Director Leader Premier Chairman Inspector Commissioner Judge Consul Engineer Ambassador "
    "Envoy".split()
)


#: Adjectives of bodies' and states' names that name nothing on their own.
GENERIC_ADJECTIVES = frozenset(
    "Royal National Imperial Provisional Supreme General Grand Great Revolutionary Federal Independent Free United "
    "Popular Democratic Socialist Republican Secret Special Joint Sunday".split()
)


def generic_word(word: str) -> bool:
    """A word of a description rather than a name: "Irish", "Military", "Brigade", "Republic"."""
    return (
        word in NOT_NAMES
        or word in GENERIC_ADJECTIVES
        or word in ORG_HEADS
        or word in PLACE_HEADS
        or word in STATE_WORDS
        or bool(DEMONYM.search(word) or re.search(r"(?:an|ic|al|ive|ist)$", word))  # "Liberal", "Conservative"
    )


def titles_length(name: str) -> int:
    """The length of the titles before a name, the space after each included ("Dr Thomas Chalmers" -> 3; "General Sir
    Edward Paget" -> 12); a name's last word is never a title here ("Lord Mayor" keeps "Mayor")."""
    words = name.split()
    titles = 0
    while titles < len(words) - 1 and words[titles] in TITLE_WORDS:
        titles += 1
    return sum(len(w) + 1 for w in words[:titles])


def is_title(word: str) -> bool:
    """A title or office, also hyphenated: "General", "Chief-of-Staff", "Commander-in-Chief", "Adjutant-General"."""
    parts = [p for p in word.split("-") if p not in ("of", "in", "at")]
    if word in TITLE_WORDS or len(parts) < 2:
        return word in TITLE_WORDS
    return all(p in TITLE_WORDS or p in OFFICE_WORDS for p in parts) or parts[-1] in ("General", "Admiral", "Marshal")


def adjectives_only(words: str) -> bool:
    """ "British Imperial": a people's and a state's adjectives, no name ("United Kingdom" has its noun)."""
    return all(
        (w in GENERIC_ADJECTIVES or DEMONYM.search(w))
        and w not in ORG_HEADS
        and w not in PLACE_HEADS
        and w not in STATE_WORDS
        for w in words.split()
    )


#: An event named by the place or people it happened to and its head noun: "the Dublin Lock-out", "the Haymarket
#: Riot", "the Fenian Rising", "the 1911 Revolution", "the Balfour Declaration", "the Berlin Conference" (nothing
#: inside is a mention; not "the Strike Committee"), "the Acadia University Act" (a law's name).
EVENT_RUN = re.compile(
    rf"(?<![\w'’-]){_NOT_FIRST}(?:{WORD}\s){{1,3}}(?:Lock-out|Lockout|Riots?|Massacre|Uprising|Rising|Rebellion|Revolt|Mutiny|"
    rf"Ambush|Strike|Raid|Putsch|Insurrection|Wars?|Campaigns?|Offensive|Pogrom|Affray|Scandal|Disruption|Elections?|"
    rf"Plan|Treaty|Doctrine|Conventions?|Declaration|Conference|Resistance|Mandate|Acts?)(?![\w-])"
    rf"(?!\s{_ORG_HEAD}(?![\w-]))"
    rf"|(?<![\w'’-])\d{{4}}(?=\s(?:{WORD}\s){{0,2}}(?:Revolution|Rising|Uprising|Rebellion|Revolt|Mutiny|Massacre|Strike|"
    rf"Putsch|War|Convention|Pact|Treaty)(?![\w-]))"  # "the 1891 Chilean Civil War", "the 1783 Nassau Family Pact"
    rf"|(?<![\w'’-])\d{{4}}(?=\s(?:[\w-]+\s){{0,3}}Act(?![\w-])|\s(?:{WORD}\s)?(?:Prize|Exhibition)(?![\w-]))"
    # "the 1864 amending Pacific Railroad Act", "the 1902 Nobel Prize" (not "in 1910 won the Nobel Prize")
    # a statute's long title: "An Act to Authorize the Board of Supervisors of the City and County of San Francisco to …"
    r"|\bAn\sAct\s(?:to|for|concerning|respecting|relating)\s[^.\"”;]*"
)
#: A ship by its prefix: "the SS Yongfeng", "HMS Hood" (ships are not marked).
SHIP = re.compile(
    rf"(?<![\w'’-])(?:SS|HMS|USS|RMS|HMAS|HMCS|SMS|MS|MV)\s{WORD}(?:\s{WORD})?"
    rf"|\b(?:sealer|steamer|schooner|whaler|frigate|cruiser|gunboat|barque|yacht|liner|vessel|ship|boat)(?:,\sthe)?\s{WORD}"
    rf"(?![\w'’-])"
)
#: A government, a regime named after its leader: "the [Macdonald] government", "the [Huerta] regime".
LEADERS_GOVERNMENT = re.compile(r"\s(?:government|administration|cabinet|ministry|regime|dictatorship)\b")
#: An event named with its date: "the German Revolution of 1918–19", "the Kapp Putsch of 1920"; the date is part of the name.
EVENT_WITH_DATE = re.compile(
    rf"(?:(?<=[{_LOW}] )|(?<=\())(?:Revolution|Uprising|Rising|Putsch|War|Crusade|Rebellion|Revolt|Offensive|Campaign|"
    rf"Crisis|Massacre|Pogrom|Partition|Election|Elections|Congress|Conference|Treaty|Pact|Constitution|Charter|"
    rf"Panic|Act|Acts|Bill|Law|Scandal|Disruption|Convention|Declaration|Resistance|Mandate|Exhibition|Exposition|"
    rf"Secession|Pacification)"
    rf"(?:\sof\s(?:the\s)?{WORD}(?:\s{WORD})?)?\sof\s"
    rf"(?P<date>(?:\d{{1,2}}\s[{_UP}][{_LOW}]+\s)?\d{{3,4}}(?:[–-]\d{{2,4}})?)"
    # "Electoral Act 1856", "Acts of Union 1800": the year of an Act's title
    rf"|(?<=[{_LOW}]\s)(?:Acts?|Bill)(?:\sof\s{WORD})?\s(?P<year>\d{{4}})(?!\w)"
)

#: A publication's imprint: "(London: Routledge, 2019)".
IMPRINT = re.compile(
    rf"(?P<place>{WORD}(?:\s{WORD})?):\s(?P<publisher>{WORD}(?:\s(?:&|and|{WORD}))*),\s(?:1[5-9]|20)\d\d\b"
)
#: Titles that end a name span rather than belong to it.
TITLE_WORDS = frozenset(
    "General Marshal Admiral President Professor Colonel Captain Commissar Minister Chancellor Governor Regent "
    "King Queen Pope Bishop Archbishop Duke Prince Princess Tsar Czar Emperor Empress Mayor Major "
    "Lieutenant Commandant Commander Historian Sergeant Sir Lord Lady Saint St. Prince-Bishop Grand-Duke "
    "Rear-Admiral Vice-Admiral Lieutenant-General Major-General Brigadier Brigadier-General Field-Marshal "
    "Earl Viscount Baron Baroness Marquess Marquis Count Countess Dame Baronet Stadtholder Viceroy Elector "
    "Sultan Shah Emir Doge Vizier Margrave Landgrave Pensionary Don Doña Dom Dona Khedive Pasha Bey Hanem Effendi "
    "Agha Cardinal Cardinals Conde Condesa Marqués Marquesa Duque Duquesa Barón Baronesa Vizconde Conte Contessa "
    "Marchese Marchesa Duca Duchessa Comte Comtesse Duc Duchesse Vicomte Vicomtesse Archdeacon Canon Reverend "
    "Imam Sheikh Lt Col Gen Maj Capt Cdr Adm Brig Sgt Cpl Archduke Archduchess Crown-Prince Mahatma Pandit Sardar "
    "Maulana Swami Sutan Raden Pangeran Tengku Teuku Seyyid Sayyid Chief Father".split()
)
#: An office "of" what it is in charge of: "Director of [Military Organisation]" is a title, not a body.
OFFICE_OF = re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(w) for w in sorted(TITLE_WORDS | OFFICE_WORDS))})\sof\s$")
#: Words that make a span an event, operation, award or document rather than an entity.
EVENT_WORDS = frozenset(
    "Operation Battle Siege Treaty Pact Convoy Cross Medal Order War Campaign Offensive Uprising Revolution "
    "Conference Accords Agreement Protocol Declaration Act Instructions Plan Line Doctrine Massacre Trial "
    "Crusade Crusades Putsch Rebellion Revolt Chronicle Chronicles Annals Statute Statutes Mutiny Insurrection "
    "Rising Riot Riots Charter Meeting Lock-out Lockout Strike Ambush Raid Armistice Ordinance Ordinances Decree Edict "
    "Affray Skirmish Expedition Scandal Disruption Election Emancipation Meetings Convention Unrest Races Revival "
    "Confession Testament Scriptures Struggle Outrage Outrages Laws Martyrs Awakening Rules Policy Game Games Resistance Mandate Bonds Exhibition "
    "Exposition Secession Pacification Prize".split()
)

#: Words of awards named "Order of …": "Order of the White Star", "Order of Lenin".
AWARD_WORDS = frozenset(
    "Cross Star Merit Medal Glory Banner Lenin Eagle Garter Honour Honor Victory Lāčplēsis Cup Prize Trophy".split()
)
#: Words that make a span an organisation (any token of the span).
ORG_WORDS = frozenset(
    """
Party Parties Army Armies Division Divisions Corps Regiment Regiments Brigade Brigades Battalion Battalions
Council Committee Commission Ministry Ministries Government Parliament Parliaments Assembly Court Courts
University Institute Academy Movement Headquarters Staff Front Legion Bank Company Association Society
League Organisation Organization Office Service Agency Bureau Congress Senate Police Guard Guards Group
Press Foundation Center Centre Museum Library Church Navy Fleet Force Forces Command Directorate Union
Soviet Cabinet Federation Alliance Commissariat Department Padome Partija Einsatzgruppe Sonderkommando
Gestapo Wehrmacht Luftwaffe Kriegsmarine Abwehr Reichstag Bundestag Sejm Seimas Saeima Riigikogu Duma
Tribunal Club School College Youth Network Society Agency Times Magazine Journal Review News Post
Diet Reichstag Landtag Riksdag Storting Folketing Althing Eduskunta Knesset Cortes Rada Sabor Majlis
Order Knights Brethren Militia Riflemen Bloc Directorate Confederation Brotherhood Constabulary Gendarmerie Admiralty
Dáil Seanad Oireachtas Cumann Clann Conradh Óglaigh Fianna
Academies Lycée École Collège Universidad Université Università Universität Instituto Escuela Gymnasium Seminary
Corporation Airways Airway Airlines Consulate Embassy Legation Presbytery Synod Secretariat
""".split()
)
#: Compass words, which begin names of places and organisations ("Central Lithuania", "North Atlantic …").
DIRECTIONS = frozenset("East West North South Northern Southern Eastern Western Central".split())
#: Words that name a part of a place with it: "Upper Canada", "Lower Saxony", "Greater London".
PART_OF_PLACE = ("Upper", "Lower", "Greater")
#: Compass words that make a region of a country or a province with its name: "Northeast United States", "Mid Lanarkshire".
COMPASS = DIRECTIONS | frozenset(
    "Northeast Northwest Southeast Southwest North-East North-West South-East South-West Mid".split()
)
#: Words that make a span a place.
PLACE_WORDS = frozenset(
    """
Republic Region County Parish Province River Lake Sea Gulf Peninsula Oblast District Island Islands Bay
Mountains Mountain Valley Coast Forest Street Square City Town Village Municipality Governorate Krai Canal
Strait Pocket Line Heights Hill Hills Plain Marsh Marshes Gubernia Voivodeship Reich Cape Passage Tropic Isthmus
Wadi Settlement Road Fjord Glacier Channel Point Sands Harbour Harbor Range Ranges Plateau Basin Highlands Lowlands
Flat Flats Route
""".split()
)
#: Capitalised words spaCy takes for names that are not names on their own.
NOT_NAMES = frozenset(
    """
Background History Timeline Situation Law Introduction References Sources Notes Bibliography Contents
Republics Dean Professor President General Vol Vols Sec Secs Ed Eds ed eds pp PDF ISBN Chapter Part Annexation
International Withdrawal Industrialisation Home Menu Archived Retrieved Summary Commander Staff Staffs
Par Motherland Aftermath Occupation Deportation Resistance Consequences Partisans Partisan Soviets Nazis
East West North South Northern Southern Eastern Western Central Soviet Nazi Communist Red
Government Governments Pact Treaty Treaties Protocol Accords Act Russian Baltic German Latvian Estonian
Lithuanian Polish Jewish Finnish British American French Ukrainian Belarusian European Jews Balts Slavs
Dutch Spanish Portuguese English Swedish Danish Norwegian Italian Irish Scottish Welsh Flemish
Allied Allies Axis Bolshevik Bolsheviks Menshevik Mensheviks Spartacist Spartacists Fascist Fascists
Nationalist Nationalists Communists Marxist Marxists Chief Secretary
First Second Third Fourth Fifth Defence Defense Medieval Ancient Modern Early Late Present-day
Dr Mr Mrs Ms Prof Gen Col St Battle Operation Citations Military Politics Policy Non-Recognition
Nonetheless Nevertheless Moreover Furthermore Meanwhile Thereafter
Tamil Tamils Sinhala Sinhalese Burgher Burghers Hindi Urdu Bengali Punjabi Gujarati Marathi Telugu Malay Yoruba Hausa
Igbo Arabic Persian Turkish Gaelic Breton Basque Catalan Yiddish Hebrew Latin Sanskrit Pali Swahili
""".split()
)
#: Words of headings and generic nouns that do not begin a name ("History of the Communist Party").
SECTION_WORDS = frozenset(
    "Background History Timeline Situation Introduction References Sources Notes Bibliography "
    "Contents Summary Aftermath Consequences Occupation Deportation Resistance Annexation "
    "Withdrawal Industrialisation Politics Policy Citations Members Leaders".split()
)
#: Words that make a name a state's, whatever its head noun: "Union of Soviet Socialist Republics".
STATE_WORDS = frozenset(
    "Republic Republics SSR SFSR Kingdom Kingdoms Empire Duchy Principality Commonwealth Provinces".split()
)
#: Words before a Roman numeral that make it a number, not a ruler's: "World War II", "Class III", "Vol. IV".
NOT_REGNAL = frozenset(
    "War World Class Type Mark Volume Book Article Section Part Chapter Phase Stage Level Grade "
    "Act Scene Appendix Annex Plate Figure Table Okręg Region Zone Sector".split()
)
#: Legislatures and councils of state named by their one word ("the Senate", "the Diet", "in Parliament"): capitalised
#: in running text, such a word is the body's own name, not a generic phrase.
LEGISLATURES = frozenset(
    "Senate Parliament Diet Duma Sejm Seimas Saeima Riigikogu Reichstag Bundestag Landtag Riksdag Storting Folketing "
    "Althing Eduskunta Knesset Cortes Congress Rada Sabor Majlis Dáil Seanad Oireachtas Admiralty".split()
)
#: A legislature by its number: "the First Dáil", "the Second Duma", "the 39th Congress".
NUMBERED_LEGISLATURE = re.compile(rf"(?<![\w-]){_ORDINAL}\s(?:{'|'.join(sorted(LEGISLATURES))})(?![\w'’-])")
#: A council of a town or a region named "Soviet" after it: "the Petrograd Soviet", "the Moscow Soviet".
TOWN_SOVIET = re.compile(
    rf"(?<![\w-])(?P<town>{WORD})\sSoviet(?![\w'’-])(?!\s(?:Union|Republic|Russia|government|army))"
)
#: Roles a person takes, after "as its …": "with [Hardie] as its first leader".
_ROLES = (
    "leader chairman chairwoman president secretary treasurer director editor founder commander chief head minister "
    "premier governor captain"
).replace(" ", "|")
#: A name before "as its (first) leader": "Keir Hardie as its first chairman".
ROLE_AFTER = re.compile(
    rf"(?<![\w'’.-])(?P<name>{WORD}(?:\s(?:{WORD}|{INITIAL})){{0,3}})\sas\s(?:its|his|her|their|the)\s"
    rf"(?:(?:first|new|last|sole|joint|acting|founding)\s)?(?:{_ROLES})\b"
)
#: A firm named by its partners joined with "&": "Rockefeller, Andrews & Flagler", "Procter & Gamble".
PARTNERS_FIRM = re.compile(
    rf"(?<![\w'’-]){WORD}(?:,\s{WORD}){{0,3}},?\s&\s{WORD}(?:\s(?:Co\.|Company|Sons|Brothers))?(?![\w'’-])"
)
#: A name after a word of kinship: "son of Andries Pretorius", "the widow of Jan Smuts" (one word before a lower-case
#: one is an adjective: "son of Boer leader …").
KIN_OF = re.compile(
    rf"\b{_KIN}\sof\s(?P<name>{WORD}(?:\s(?:{WORD}|{INITIAL})){{1,3}}|{WORD}(?![\w'’-])(?!\s[a-z]))(?![\w'’-])"
)
#: A name of two words or more right after "led by", "headed by" with no article: "led by Sandford Fleming".
LED_BY = re.compile(
    rf"\b(?:(?:led|headed|chaired|founded|commanded)\sby|under\sthe\sleadership\sof)\s(?:(?:Dr|Sir|Rev|Mr)\.?\s)?"
    rf"(?P<name>{WORD}(?:\s(?:{WORD}|{INITIAL})){{1,3}})(?![\w'’-])"
)
#: An office or a member's noun after a party's one word, which then is an adjective: "the new Liberal prime minister",
#: "Labour candidates", "Tory MPs" (not "[IRB] members": an acronym, nor "the [Duma] member": a legislature).
OFFICE_NOUN_AFTER = re.compile(
    r"\s(?:prime\sminister|premier|leader|leaders|candidate|candidates|member|members|MPs?|politicians?|statesman)\b"
)
#: A policy called "Home Rule", not a body: "calls for Home Rule for [Scotland]", "the issue of Irish Home Rule".
HOME_RULE = re.compile(rf"(?:{WORD}\s)?Home\sRule(?:\sfor\s(?P<place>{WORD}(?:\s{WORD})?))?")
#: A state named as a union of countries or regions: "the Union of South Africa", "the Federation of Rhodesia and
#: Nyasaland" (not "Union of Lublin", a treaty).
UNION_OF_STATE = re.compile(
    rf"(?:Union|Federation)\sof\s(?:the\s)?(?P<state>{WORD}(?:\s{WORD}){{0,2}})(?:\sand\s(?P<other>{WORD}))?"
)
#: Two places sharing a lower-case plural noun: "the Fraser and Thompson rivers".
SHARED_PLACE_NOUN = re.compile(
    rf"(?<![\w'’-])(?P<first>{WORD})\sand\s(?P<second>{WORD})\s(?:rivers|lakes|islands|mountains|valleys)\b"
)
#: A place named with its owner's possessive and its own noun: "Savona's Ferry", "Rupert's Land", "Laing's Nek".
POSSESSIVE_PLACE = re.compile(
    rf"(?<![\w'’.-]){WORD}['’]s\s(?:Ferry|Landing|Crossing|Creek|Point|Island|Falls|Gap|Harbour|Harbor|Sound|Inlet|"
    rf"Cove|Land|Station|Bay|Nek|Kop|Drift|Pass|Hill|Ford|Well|Wells|Springs|Rock)(?![\w'’-])"
)
#: A list of names before a plural noun of bodies: "players from the Atlantic, Excelsior, Putnam and Eckford clubs",
#: "the Cunard and White Star companies" (each name one body).
BODIES_BEFORE_NOUN = re.compile(
    rf"(?<=\bthe\s)(?P<names>{_LIST_NAME}(?:,\s{_LIST_NAME})*,?\s(?:and|or)\s{_LIST_NAME})"
    rf"\s(?:clubs|teams|companies|firms|banks|railways|railroads|parties|unions|societies|newspapers|lines)\b"
)
#: Places listed before a plural noun that says what they are: "the Mahenge and Makonde plateaux", "the Tigris and
#: Euphrates rivers".
PLACES_BEFORE_NOUN = re.compile(
    rf"(?<=\bthe\s)(?P<names>{WORD}(?:,\s{WORD})*,?\s(?:and|or)\s{WORD})\s"
    rf"(?:rivers|mountains|islands|plateaux|plateaus|valleys|lakes|provinces|districts|regions|highlands|hills)\b"
)
#: Places listed after a plural noun that says what they are: "the provinces of Gauteng, Limpopo, and North West",
#: "the territories of Stellaland and Goosen".
LISTED_BY_NOUN = re.compile(
    rf"(?<=\s)(?:territories|provinces|districts|regions|towns|villages|cities|islands|counties|colonies)\sof\s"
    rf"(?P<names>{WORD}(?:\s{WORD})?(?:,\s{WORD}(?:\s{WORD})?)*,?\sand\s{WORD}(?:\s{WORD})?)(?![\w'’-])"
)
#: A town and the province, state or country it lies in: "Yale, British Columbia", "St. Thomas, Ontario".
PLACE_IN_REGION = re.compile(
    rf"(?<![\w'’.-])(?P<place>(?:St\.\s|Saint\s|Port\s|Fort\s)?{WORD}),\s(?P<region>{WORD}(?:\s{WORD}){{0,2}})(?![\w'’-])"
)
#: A peer called "the Duke of …" is a person named by his title's place: "the Duke of [Richmond]".
PEER_OF = re.compile(
    rf"(?<=\b[Tt]he\s)(?:Duke|Earl|Marquess|Marquis|Viscount|Baron|Duchess|Countess)\sof\s(?P<name>{WORD})(?![\w'’-])"
)
#: A given name and a surname: "Philippe Leclerc", "Ewald von Kleist" (the given name from GIVEN_NAMES).
GIVEN_AND_SURNAME = re.compile(rf"(?<![\w'’.-])(?P<given>{WORD})\s(?:{PARTICLE}\s)?(?P<surname>{WORD})(?![\w'’-])")
#: A name with a middle initial: "Milan F. Petrović", "Harry S. Truman".
MIDDLE_INITIAL = re.compile(rf"(?<![\w'’.-])(?P<given>{WORD})\s{INITIAL}\s(?P<surname>{WORD})(?![\w'’-])")
#: A country's abbreviation before a body's name: "U.S. Bureau of Insular Affairs", "UK Home Office".
STATE_BEFORE_BODY = re.compile(
    rf"(?P<state>U\.S\.|US|U\.K\.|UK|USSR|U\.S\.S\.R\.)\s(?P<body>{WORD}(?:\s(?:{WORD}|of|the|for)){{0,6}})"
)
#: Adjectives of nations, which stay outside a body's name ("British [House of Lords]").
_NATIONS = (
    "(?:British|German|Dutch|Spanish|French|Portuguese|Italian|Russian|Soviet|Ottoman|Belgian|Danish|Swedish|"
    "Japanese|Austrian|English|Irish|Scottish|American|European|Asiatic|Asian|African)"
)
#: A faith's adjective before a body's own name stays outside it: "the Catholic [White Fathers]" ("the Catholic Church"
#: is the name).
FAITH_BEFORE_BODY = re.compile(
    rf"(?:Catholic|Protestant|Anglican|Methodist|Presbyterian|Orthodox|Lutheran|Baptist|Moravian|Muslim|Jewish)\s"
    rf"(?=(?:{WORD}\s){{1,3}}{WORD}$)"
)
#: A territory named with the people that held it: "British East Africa", "Dutch Brazil", "Spanish Netherlands".
NATION_PLACE = re.compile(rf"(?<![\w'’-]){_NATIONS}\s(?P<place>{WORD}(?:\s{WORD}){{0,2}})(?![\w'’-])(?!\s[{_UP}])")
#: Two bodies named together, the head noun with the second: "the Liberal and Colorado Parties".
SHARED_HEAD = re.compile(
    rf"(?<=\b[Tt]he\s)(?P<first>{WORD})\sand\s(?P<second>{WORD}\s(?:Parties|Armies|Leagues|Councils|Unions|Clubs|Companies|"
    rf"Militias|Regiments|Battalions|Brigades|Divisions))(?![\w'’-])"
)
#: Two people named together, the surname with the second: "James and Emily Talmadge".
COUPLE = re.compile(rf"(?P<first>{WORD})\sand\s(?P<second>{WORD}\s{WORD})")
#: A legislature's chamber named "House of …" ("House of Commons", "House of Burgesses"), and the States General.
HOUSE_OF = re.compile(
    rf"(?<![\w.])(?:(?:(?!The\s|{_NATIONS}\s){WORD}\s){{0,2}}House\sof\s(?:Commons|Lords|Representatives|Burgesses|Delegates|Keys|Assembly|Peers)"
    rf"|(?:States|Estates)[\s-]General(?:\sof\s(?:the\s)?{WORD}(?:\s{WORD})?)?)(?![\w'’-])"
)
#: A party named by adjectives and its lower-case noun: "the National party", "the Social Revolutionary party"
#: (a party with a proper name is marked without its noun: "the Sinn Féin party").
ADJECTIVES_PARTY = re.compile(rf"(?<=\b[Tt]he\s)(?P<name>(?:{WORD}\s){{1,3}}party)(?![\w'’-])")
#: Bodies named by their common noun alone: "the Commission", "the Brotherhood" are not names; nor "the House",
#: "the State", "at Court", "the Bank" of a story.
GENERIC_BODIES = (
    frozenset(ORG_HEADS)
    | {"Brotherhood", "Government", "Staff", "Headquarters", "House", "State"}
    | {"Court", "Bank", "Firm", "Crown"}
) - LEGISLATURES
#: A legislature by its one word in running text ("the Senate", "in Parliament"); not "Senate of Finland" (the whole
#: name is found by its head noun) nor "Senate House".
LEGISLATURE = re.compile(
    rf"(?:(?<=\b[Tt]he\s)|(?<=[{_LOW},;]\s))(?:{'|'.join(sorted(LEGISLATURES))})(?![\w'’-])(?!\s+of\s)(?!\s[{_UP}])"
)
#: Last words of newspapers' titles ("Geelong Advertiser", "Government Gazette"): a title of a work, never a place.
NEWSPAPER_WORDS = frozenset(
    "Advertiser Gazette Herald Courier Argus Mercury Observer Tribune Telegraph Sentinel Examiner Chronicle".split()
)
#: Last words of built sites' names: "Eureka Stockade", "Eureka Hotel" are places, not organisations.
SITE_WORDS = frozenset(
    "Hotel Inn Tavern Palace Castle Abbey Priory Manor Lodge Stockade Redoubt Barracks Bridge Gate Tower Dam Barrage House "
    "Prison Gaol Jail Factory Rectory Vicarage "
    "Canal".split()
)
#: Buildings a name may be given without its noun: "the Royal George" for "the Royal George Hotel".
BUILDING_WORDS = frozenset("Hotel Inn Tavern Arms Hall Palace Castle Abbey Priory Manor Lodge Park Villa".split())
#: Heads of the names of buildings and grounds, places whatever spaCy calls them: "Horton Hall", "the Wolfville
#: Campus", "the National Museum of American History", "the Acadia University Archives".
BUILDING_HEADS = SITE_WORDS - {"House"} | frozenset(_GROUNDS) | frozenset("Cathedral Chapel Fields Gardens".split())
#: A saint's name in the possessive names a church, parish or district: "St. Giles's", "St. James's".
SAINTS_PLACE = re.compile(rf"(?<![\w.])(?:St\.?|Saint)\s{WORD}(?=['’]s(?![\w'’])(?!\s[{_UP}]))")


def described_body(words: str) -> bool:
    """A nationality's adjective and a body's common noun, as glosses write them: "Russian Parliament",
    "Finnish Government" (not "Home Guard", "Red Army": no nationality)."""
    parts = words.split()
    return (
        len(parts) == 2
        and parts[0] in NOT_NAMES
        and re.search(r"(?:an|ish|ese|ic|ch)$", parts[0]) is not None
        and parts[1] in ORG_WORDS
    )


#: Common given names (many languages of the region and of WWII history).
_KNOWN_GIVEN_NAMES = frozenset(
    """
Mary Elizabeth Anne Ann Jane Sarah Margaret Catherine Charlotte Emma Harriet Martha Lucy Louisa Caroline
Frances Eliza Ellen Emily Hannah Susan Julia Lydia Kitty Georgiana William John James Thomas Henry Richard Robert
Edward Samuel Francis Arthur Frederick Walter Edmund
Adolf Adolfas Aleksandr Aleksandrs Aleksei Alexander Alexei Alfred Alfreds Andrei Andrey Andrejs Anna Anatolijs
Anatoly Antanas Arturs Artur Arvīds Augusts August Boris Charles Chris David Dmitri Dmitry Eduard Eduards Erich
Ernst Franklin Friedrich Georg George Georgy Gustav Gustavs Hans Heinrich Heinrihs Helmut Herbert Hermann Hinrich
Ivan Ivans Imants Irina Jānis Janis Jonas Joseph Josef Juozas Jüri Kārlis Karlis Karl Konstantin Konstantīns
Kristian Kurt Lavrentiy Lauri Leonid Ludwig Mark Margers Martin Maria Mikhail Mihails Nikolai Nikolay Nikita
Oleg Otto Otomārs Otomars Patrick Paul Pēteris Peteris Peter Pyotr Robert Rudolf Rūdolfs Sergei Sergey Semyon
Simon Stefan Stepan Tekla Valdemārs Vasilijs Vasily Vassili Viktor Vilhelms Vilis Vilnis Visvaldis Vladimir
Vyacheslav Walter Werner Wilhelm William Winston Yaacov Yakov Yuri Zigfrīds Juris Ādolfs Edgars Elmārs Rolf
Heinz Hans-Joachim Joachim Erwin Fritz Franz Georgi Ilya Ivar Jaan Johannes Konstantinas Kazys Vytautas
Algirdas Mykolas Petras Povilas Stasys Lev Leon Michael Moshe Abraham Jacob Isaac Samuel Sarah Rachel Hannah
John James Thomas Henry Edward Richard Harry Harold Neville Anthony Dwight Douglas Bernard Omar Benito Francisco
Charles Józef Jan Stanisław Władysław Tadeusz Wojciech Andrzej Klaus Dieter Günther Günter Ulrich Maximilian
Ferenc Miklós László István János József Sándor Imre Béla Gyula Lajos Zoltán Karel Václav Jiří Josip Draža Ante
Milan Dragoljub Ioannis Georgios Konstantinos Alexandros Benito Galeazzo Pietro Vittorio Giovanni Giuseppe Italo
Umberto Charles-André Philippe Henri Pierre Jean Jacques Louis François Maxime Paul-Henri Raoul Berit Olav Haakon
Vidkun Knut Gunnar Lars Nils Erik Anders Carl Gustaf Folke Dwight Omar Chester George Ernest Harold Alan Arthur
Hugh Frederick Claude Archibald Orde Bertram Miles Oliver Neville Anthony Clement Hastings Isoroku Hideki Tomoyuki
Chiang Mao Zhou Ho Sukarno Subhas Jawaharlal Mohandas Philip Hendrik Wilhelmina Juliana Leopold Albert Marie
Ivan Georgy Konstantin Rodion Ivan Kliment Semyon Nikolai Aleksandr Vasily Pavel Andrei Ivan Olga Tatiana Natalia
""".split()
)
#: Given names of many languages (Faker's lists, filtered; see build_given_names.py), and those above.
GIVEN_NAMES = _KNOWN_GIVEN_NAMES | frozenset(
    line
    for line in (Path(__file__).with_name("given_names.txt")).read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
)
_PERSON_ENDINGS = (
    "s",
    "š",
    "v",
    "ov",
    "ova",
    "ev",
    "eva",
    "in",
    "ina",
    "sky",
    "ski",
    "skis",
    "enko",
    "aitė",
    "ienė",
    "ytė",
    "uk",
    "ич",
    "ова",
    "ов",
    "ин",
    "ий",
)
#: Lower-case words that may stand inside a name: "Council of Ministers", "Cumann na mBan", "Knights of Labor".
NAME_LINKS = PARTICLES | frozenset(
    "of for and the in on at to upon under over against with by from a an na nan bin ibn bint al el et e i und für "
    "des les à au aux op dei degli".split()
)
STOP_WORDS = frozenset(
    """
The A An In On At Of For From By To With Without And Or But As Into After Before During Since Until Under Over
This That These Those It Its He She They We His Her Their Our There Here When Where While Which Who What How
Both Each Every Neither Either Several Such
""".split()
)


def tokens(text: str) -> list[str]:
    return re.findall(r"[\w'’.-]+", text)


def has_keyword(text: str, words: frozenset[str]) -> bool:
    stripped = [t.strip(".'’") for t in tokens(text)]
    return any(t in words or (len(t) > 3 and t.endswith("s") and t[:-1] in words) for t in stripped)


#: A biography's opening: the subject's name (in capitals or not) and, in brackets, a life's span of two days'
#: dates or a birth: "FRANCISCO IGNACIO MADERO GONZÁLEZ (30 October 1873 – 22 February 1913) was".
LEAD_NAME = re.compile(
    rf"^(?:The\s)?(?P<name>[{_UP}][{_UP}{_LOW}'’.-]+(?:\s[{_UP}][{_UP}{_LOW}'’.-]+){{1,4}})\s\("
    rf"(?=[^()]*(?:\d{{1,2}}\s[{_UP}][{_LOW}]+\s\d{{4}}\s?[–-]\s?\d{{1,2}}\s[{_UP}][{_LOW}]+\s\d{{4}}|\bborn\b|\bb\.\s))"
)
#: Chinese family names in pinyin, Wade-Giles and Cantonese romanisation (the commonest; a name begins with one).
CHINESE_SURNAMES = frozenset(
    "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao Zheng Liang Xie Song Tang Han "
    "Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye Cheng Wei Su Lu Ding Shen Ren Yao Jin Fan Fang "
    "Shi Tan Liao Zou Xiong Qiu Qin Hou Meng Kong Bai Cui Mao Yan Duan Lei Hao Kang Qian Yi Chiang Chang Chou Hsu Hsieh "
    "Kuo Soong Tsai Teng Chu Chao Chin Hsiao Tseng Tsao Wong Ho Chan Cheung Leung Lau Lam Ng Yip Tse Lee Chow Tsang".split()
)
#: One syllable of a romanised Chinese name: "shi", "kai", "jiong", "ming", "yat", "shek", "hsien".
_SYLLABLE = (
    r"(?:zh|ch|sh|hs|ts|tz|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ieh|ien|ang|eng|ing|ong|ung|ian|iao|uai|uan|uei|ai|ao|an|ei|en|er|ia|ie|ih|in|iu|ou|ua|ui|un|uo|"
    r"a|e|i|o|u|ü)(?:[ktp](?![aeiouü]))?"
)
CHINESE_GIVEN = re.compile(rf"(?i:{_SYLLABLE}(?:-?{_SYLLABLE})?)")
#: A Chinese name, family name first: "Sun Yat-sen", "Yuan Shikai", "Chen Jiongming", "Chiang Kai-shek".
CHINESE_NAME = re.compile(
    rf"(?<![\w'’-])(?P<family>{'|'.join(sorted(CHINESE_SURNAMES))})"
    rf"\s(?P<given>[A-Z][a-z]+(?:-[a-z]+)?(?:\s[A-Z][a-z]{{1,5}})?)(?![\w'’-])"
)


def chinese_name(span: str) -> bool:
    """ "Sun Yat-sen", "Ho Chi Minh": a family name and given syllables ("Long Island", "Han River" are not)."""
    m = CHINESE_NAME.fullmatch(span)
    return bool(m) and all(
        CHINESE_GIVEN.fullmatch(w) and w not in PLACE_WORDS | ORG_WORDS | NOT_NAMES for w in m["given"].split()
    )


#: South Slavic surnames: "Aranđelović", "Čabrinović", "Popović", "Dimitrijević".
SLAVIC_SURNAME = re.compile(r"[a-zčćđšž](?:ić|ič)$")
#: A nationalist movement named "Young" and its nation: "Young Bosnia", "Young Turks", "Young Italy".
YOUNG_MOVEMENT = re.compile(rf"(?<![\w'’-])Young\s(?P<nation>{WORD})(?![\w'’-])(?!\s[{_UP}])")
#: Two places joined by a hyphen, one state: "Austria-Hungary", "Schleswig-Holstein", "Alsace-Lorraine".
#: ("Russia-Lithuania relations", "the Canada-US border" are two places: a pair before a noun of what lies between).
HYPHENED_PLACES = re.compile(
    rf"(?<![\w'’-])(?P<a>[{_UP}][{_LOW}]+)-(?P<b>[{_UP}][{_LOW}]+)(?![\w-])"
    r"(?!\s(?:relations|border|borders|frontier|war|wars|treaty|agreement|talks|pact|alliance|conflict|line|railway|"
    r"road|axis|trade|dispute|negotiations|summit|cooperation)\b)"
)
#: Russian patronymics in the Latin script: "Feodorovna", "Fyodorovich", "Nikolayevich", "Ilyich".
PATRONYMIC = re.compile(r"[a-z](?:ovich|evich|yevich|ovna|evna|yevna|ichna|ilyich)$")


def looks_like_person(text: str) -> bool:
    """True for "A. K. Sproģis", "Vilhelms Laiviņš", "Anatolijs Maksimovs" — not "Latvian Partisan Brigade"."""
    toks = text.replace("’s", "").replace("'s", "").split()
    named = [t for t in toks if t not in PARTICLES]  # "María de la Estrella González de la Riva": 5 names
    if len(toks) == 3 and toks[0] in GIVEN_NAMES and re.fullmatch(INITIAL, toks[1]) and toks[2] not in ORG_WORDS:
        return re.fullmatch(WORD, toks[2]) is not None  # "James J. Hill": a middle initial makes "Hill" a surname
    if not 2 <= len(named) <= 5 or len(toks) > 9 or has_keyword(text, ORG_WORDS | PLACE_WORDS | NOT_NAMES | STOP_WORDS):
        return False
    initials = [t for t in toks if re.fullmatch(rf"(?:{INITIAL}){{1,3}}", t)]
    words = [t for t in toks if re.fullmatch(WORD, t) or re.fullmatch(PARTICLE, t)]
    if len(initials) + len(words) != len(toks) or not any(re.fullmatch(WORD, t) for t in toks):
        return False
    if initials and toks[-1] not in initials:
        return True
    given = toks[0] in GIVEN_NAMES or toks[0].split("-")[0] in GIVEN_NAMES  # "Jean-Henri", "Louis-Hippolyte"
    if given or any(PATRONYMIC.search(t) for t in toks[1:]) or SLAVIC_SURNAME.search(toks[-1]):
        return True  # "Alexandra Feodorovna", "Pavel Nikolayevich Milyukov": a patronymic is a person's
    return all(t.endswith(_PERSON_ENDINGS) or re.fullmatch(PARTICLE, t) for t in toks)


QUOTES = "\"'“”„«»‘’"
#: Where a reference's title ends and a description of it begins: "… Estonia. ' – Full text".
DESCRIPTION_SEPARATOR = re.compile(r"\s'\s|\s[–—]\s")
#: Lower-case words that occur inside names of organisations in references ("Institut für Zeitgeschichte").
_NAME_LINKS = frozenset("de du des la le der die das und für fur di del della y et à an am zu van von".split())


def inside_reference_title(text: str, start: int, end: int) -> bool:
    """Whether a place or organisation in a bibliographic reference stands inside a title.

    Imprint places and publishers stand between punctuation ("Riga, Liesma, 1978";
    "(London: Routledge, 2019)"; "М., Воениздат") or alone in quotes (изд-во "Jumi");
    a name that words of the title run into ("Народные мстители Латвии.",
    "Latvia in the Wars of the 20th Century") is part of the title, which is not marked.
    """
    if start > 0 and end < len(text) and text[start - 1] in QUOTES and text[end] in QUOTES:
        return False
    before = text[:start].rstrip().rstrip(QUOTES).rstrip()
    after = text[end:].lstrip().lstrip(QUOTES).lstrip()
    before = _AUTHOR_LINKS_BEFORE.sub("", before)  # "Smith and Jones": authors, not a title
    after = _AUTHOR_LINKS_AFTER.sub("", after)
    if text[start:end].endswith("."):
        after = ""  # "Simonsen, S. Compatriot Games": the initial's stop ends the author
    return bool(before and before[-1].isalpha()) or bool(after and after[0].isalpha())


_AUTHOR_LINKS_BEFORE = re.compile(r"(?:(?:^|\s)(?:and|und|un|et|и|&|by|eds?\.?)|[,\"”]\s?in)$")
_AUTHOR_LINKS_AFTER = re.compile(r"^(?:and|und|un|et|и|&)(?=\s)")


#: A quoted passage: "What Happened in Lithuania in 1940?", «Par Dzimteni»; or wiki italics: ''Ghosts at the Table''.
_QUOTED = re.compile(r"(?:[\"“„«](?P<inner>[^\"“”„«»]{3,200})[\"”»“]|''(?P<italic>[^'][^\n]{2,300}?)'')")
_MINOR = frozenset(
    "a an the of in on at to for and or but by from with into as vs. de la le du der die das und".split()
)
#: Words before a quotation that say it is a work's title: "the book", "his essay", "titled".
#: A periodical or a book named unquoted after its common noun ("his newspaper Sinn Féin", "the journal
#: Iskra"), or a name talked about as a word ("the generic term Sinn Féin").
_NAMED_WORK = re.compile(
    rf"(?<![\w-])(?:newspaper|magazine|journal|periodical|weekly|daily|paper|pamphlet|novel|book|term|word|phrase|"
    rf"slogan|motto|titled|entitled)\s"
    rf"(?P<title>(?:{WORD}|[{_UP}][{_UP}]+)(?:\s(?:(?:of|the|and|in|on)\s)?(?:{WORD}|[{_UP}][{_UP}]+)){{0,3}})"
)  # "the book History of Java"
_WORK_BEFORE = re.compile(
    r"(?:book|books|essay|article|novel|film|poem|paper|report|titled|entitled|song|play|newspaper|magazine|"
    r"journal|series|study|monograph|memoir|memoirs|pamphlet|brochure|thesis|lecture|speech|chronicle|album|"
    r"published|wrote|author\sof|work)\s*,?\s*$"
)
#: A title written inline after its author: "Mark Healy, Zitadelle: The German Offensive … July 4–17, 1943."
_INLINE_TITLE = re.compile(rf"(?<=[{_LOW}]),\s(?P<title>[{_UP}][^.;()]{{8,200}}?)(?=\.\s|\.$|$)")


def quoted_titles(text: str) -> list[tuple[int, int]]:
    """Spans of titles of works in running text, inside which nothing is a mention.

    A title is a quotation in title case ("What Happened in Lithuania in 1940?") introduced as a work
    ("the book", "his essay", "titled") or asking a question or with a subtitle after a colon;
    anything longer in wiki italics (''…'', five words or a subtitle); or a title-case run with a colon right after an author's
    name ("Mark Healy, Zitadelle: The German Offensive Against the Kursk Salient July 4–17, 1943").
    A quoted phrase or name ("Bolshevik sympathies", "People's Assembly", "15th Republic of the
    Soviet Union") is not a title."""
    spans = []
    for m in _QUOTED.finditer(text):
        if m.group(
            "italic"
        ):  # italics mark titles, but also foreign terms and names: a title is long or has a subtitle
            italic = m.group("italic")
            if len(italic.split()) >= 5 or re.search(r"[:?]", italic):
                spans.append(m.span())
            continue
        inner = m.group("inner")
        words = re.findall(r"[\w'’-]+", inner)
        content = [w for w in words if w.lower() not in _MINOR and not w.isdigit()]
        if len(words) < 2 or len(content) < 2 or not all(w[0].isupper() or w[0].isdigit() for w in content):
            continue
        introduced = _WORK_BEFORE.search(text[max(0, m.start() - 30) : m.start()])
        if introduced or inner.rstrip().endswith("?") or ":" in inner:
            spans.append(m.span())
    spans += [m.span("title") for m in _NAMED_WORK.finditer(text)]
    for m in _INLINE_TITLE.finditer(text):
        title = m.group("title")
        words = re.findall(r"[\w'’–-]+", title)
        content = [w for w in words if w.lower() not in _MINOR]
        if ":" in title and len(content) >= 4 and all(w[0].isupper() or w[0].isdigit() for w in content):
            spans.append(m.span("title"))
    return spans


#: A short paragraph that ends with an imprint's year is a reference: "… Nigel Jones, Carroll & Graf, 2004."
_REFERENCE_END = re.compile(r"[,:(]\s?(?:1[5-9]|20)\d\d\)?\.?\s*$")


def looks_like_reference(text: str) -> bool:
    return len(text.split()) <= 60 and bool(_REFERENCE_END.search(text)) and bool(re.search(r"[.:]\s", text))


def has_title_words(span: str) -> bool:
    """Lower-case words other than the links of names: "PSRS kaujinieki Latvijā" is a title's
    wording, which spaCy may take for an organisation (register names are trusted as they are)."""
    return any(
        w.isalpha() and w.islower() and w.capitalize() not in STOP_WORDS and w not in _NAME_LINKS for w in span.split()
    )
