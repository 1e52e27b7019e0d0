"""Name pools by script, and which scripts customers of each country write in.

Every pool entry is (as written, romanised): the romanised form feeds the email
address, so a customer who writes their name in Telugu still has a Latin email.
"""

from __future__ import annotations

Pool = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]


def _latin(first: str, last: str) -> Pool:
    return tuple((w, w) for w in first.split()), tuple((w, w) for w in last.split("|"))


def _native(first: str, last: str) -> Pool:
    def pairs(s: str) -> tuple[tuple[str, str], ...]:
        return tuple((p.split("=")[0], p.split("=")[1]) for p in s.split())

    return pairs(first), pairs(last)


POOLS: dict[str, Pool] = {
    "en": _latin(
        "James Olivia Liam Emma Noah Ava William Sophia Oliver Isabella Jack Mia Harry "
        "Amelia George Charlotte Ethan Grace Lucas Chloe Mary-Jane",
        "Smith|Johnson|Williams|Brown|Jones|Miller|Davis|Wilson|Taylor|Anderson|Thomas|Moore|"
        "Martin|Clark|Lewis|Walker|Hall|O'Brien|O'Connor|Murphy|Evans|Roberts|Wright|Green",
    ),
    "de": _latin(
        "Lukas Leon Finn Jonas Paul Hannah Lena Emilia Lea Sophie Jürgen Jörg Björn Maximilian Anja Käthe",
        "Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Schäfer|"
        "Koch|Bauer|Richter|Klein|Wolf|Schröder|Neumann|von Bülow|Zimmermann",
    ),
    "fr": _latin(
        "Chloé Léa Manon Camille Inès Lucas Hugo Louis Gabriel Raphaël Jean-Luc "
        "Marie-Claire Théo Zoé Noémie François",
        "Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau|Lefèvre|"
        "Girard|Bonnet|Dupont|Lambert|Fontaine|Rousseau|Mercier",
    ),
    "es": _latin(
        "José María Lucía Sofía Martín Mateo Hugo Pablo Álvaro Daniela Valentina Javier "
        "Carmen Alejandro Isabel",
        "García|Rodríguez|González|Fernández|López|Martínez|Sánchez|Pérez|Gómez|Núñez|Díaz|"
        "Hernández|Muñoz|Álvarez|Romero|de la Cruz",
    ),
    "in": _latin(
        "Aarav Vivaan Aditya Arjun Sai Reyansh Ishaan Priya Ananya Diya Saanvi Aadhya Kavya "
        "Rahul Rohit Amit Neha Pooja Sneha Vikram Karthik Deepika Lakshmi Venkatesh",
        "Sharma|Verma|Gupta|Singh|Kumar|Patel|Shah|Reddy|Rao|Iyer|Nair|Menon|Das|Ghosh|"
        "Mukherjee|Chatterjee|Banerjee|Agarwal|Joshi|Mehta|Desai|Pillai|Naidu|Yadav|Mishra",
    ),
    "hi": _native(
        "आरव=Aarav विवान=Vivaan अर्जुन=Arjun प्रिया=Priya अनन्या=Ananya राहुल=Rahul "
        "पूजा=Pooja अमित=Amit नेहा=Neha रोहित=Rohit सुनीता=Sunita विकास=Vikas",
        "शर्मा=Sharma वर्मा=Verma गुप्ता=Gupta सिंह=Singh यादव=Yadav मिश्रा=Mishra जोशी=Joshi कुमार=Kumar",
    ),
    "bn": _native(
        "অর্ণব=Arnab সৌরভ=Sourav রিয়া=Riya তানিয়া=Tania সুমন=Suman দেবাশীষ=Debashish "
        "মৌমিতা=Moumita রাজীব=Rajib ফাতেমা=Fatema তাহমিদ=Tahmid",
        "চট্টোপাধ্যায়=Chattopadhyay বন্দ্যোপাধ্যায়=Bandyopadhyay মুখার্জি=Mukherjee দাস=Das "
        "ঘোষ=Ghosh সেন=Sen রহমান=Rahman হোসেন=Hossain ইসলাম=Islam",
    ),
    "te": _native(
        "శ్రీనివాస్=Srinivas లక్ష్మి=Lakshmi వెంకట్=Venkat సాయి=Sai కావ్య=Kavya రవి=Ravi స్వాతి=Swathi మహేష్=Mahesh",
        "రెడ్డి=Reddy నాయుడు=Naidu రావు=Rao వర్మ=Varma చౌదరి=Chowdary",
    ),
    "gu": _native(
        "હાર્દિક=Hardik ધ્રુવ=Dhruv હેતલ=Hetal જીગ્નેશ=Jignesh ભાવિકા=Bhavika નિરાલી=Nirali કિંજલ=Kinjal પાર્થ=Parth",
        "પટેલ=Patel શાહ=Shah દેસાઈ=Desai મહેતા=Mehta ત્રિવેદી=Trivedi પંડ્યા=Pandya",
    ),
    "zh": _native(
        "伟=Wei 芳=Fang 娜=Na 敏=Min 静=Jing 磊=Lei 洋=Yang 婷=Ting 子涵=Zihan 浩然=Haoran",
        "王=Wang 李=Li 张=Zhang 刘=Liu 陈=Chen 杨=Yang 黄=Huang 赵=Zhao",
    ),
    "ja": _native(
        "翔太=Shota 結衣=Yui 陽菜=Hina 大翔=Hiroto さくら=Sakura 蓮=Ren 美咲=Misaki",
        "佐藤=Sato 鈴木=Suzuki 高橋=Takahashi 田中=Tanaka 渡辺=Watanabe 伊藤=Ito",
    ),
    "ar": _native(
        "محمد=Mohammed أحمد=Ahmed فاطمة=Fatima عائشة=Aisha عمر=Omar ليلى=Layla يوسف=Youssef مريم=Maryam",
        "العتيبي=Alotaibi الحربي=Alharbi القحطاني=Alqahtani الشمري=Alshammari حداد=Haddad خوري=Khoury",
    ),
}

# (pool, romanised?, weight): what people of a country type into the sign-up form.
SCRIPTS: dict[str, tuple[tuple[str, bool, float], ...]] = {
    "IN": (
        ("in", False, 0.7),
        ("hi", False, 0.12),
        ("bn", False, 0.05),
        ("te", False, 0.07),
        ("gu", False, 0.06),
    ),
    "US": (("en", False, 0.9), ("es", False, 0.07), ("zh", True, 0.03)),
    "GB": (("en", False, 0.88), ("in", False, 0.08), ("ar", True, 0.04)),
    "DE": (("de", False, 0.94), ("ar", True, 0.06)),
    "FR": (("fr", False, 0.9), ("ar", True, 0.1)),
    "ES": (("es", False, 1.0),),
    "CA": (("en", False, 0.78), ("fr", False, 0.16), ("zh", False, 0.06)),
    "AU": (("en", False, 0.92), ("zh", True, 0.08)),
    "BD": (("bn", False, 0.45), ("bn", True, 0.55)),
    "AE": (("ar", False, 0.45), ("ar", True, 0.3), ("in", False, 0.25)),
    "SA": (("ar", False, 0.6), ("ar", True, 0.4)),
    "CN": (("zh", False, 0.8), ("zh", True, 0.2)),
    "JP": (("ja", False, 0.85), ("ja", True, 0.15)),
}
