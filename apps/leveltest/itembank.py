"""Item bank for the CEFR placement test.

All items are original. Each level (A1-C2) has 18 multiple-choice items: 6 grammar, 6 vocabulary and 6 reading.
Reading items come in pairs that share a passage; the passage text is stored in every item's ``passage`` field.
American spelling is used throughout. ``validate()`` checks the structure of the bank; nothing runs at import time.
"""

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
SKILLS = ("grammar", "vocabulary", "reading")

# Reading passages (shared by two items each).
_PASSAGE_A1_1 = (
    "Hi, I am Lucas. I am fifteen years old and I live in a small town near the sea. I have one sister. "
    "Her name is Mia and she is ten. Every morning I get up at seven o'clock. I have bread and milk for "
    "breakfast. I go to school by bike. My favorite subject is science. After school, I play soccer with "
    "my friends in the park. In the evening, I do my homework and watch TV with my family."
)
_PASSAGE_A1_2 = (
    "Dear Sara, I am in Rome with my parents. The weather is hot and sunny. Our hotel is small but very "
    "nice, and it is next to a big park. Today we are at a museum. Tomorrow we want to see an old church "
    "and eat pizza. The food here is great! I have a lot of photos for you. See you on Saturday. Love, "
    "Emma"
)
_PASSAGE_A1_3 = (
    "CITY SPORTS CENTER. Open Monday to Friday, 7 a.m. to 9 p.m., and Saturday and Sunday, 9 a.m. to 5 "
    "p.m. Swimming pool: $5 for adults and $3 for children. Children under 6 swim for free. Tennis "
    "lessons are on Tuesday and Thursday evenings. Please bring a towel. There is a café on the first "
    "floor."
)
_PASSAGE_A2_1 = (
    "Hi Ben, I'm sorry, but I can't come to the movies on Friday evening. My grandmother is visiting us "
    "this weekend, and my parents want me to be at home for dinner. Can we go on Sunday afternoon "
    "instead? The movie starts at 3:30, and tickets are cheaper before five o'clock. I can buy them "
    "online tonight if you say yes. Also, could you bring my blue jacket? I left it at your house last "
    "week. Thanks! Jake"
)
_PASSAGE_A2_2 = (
    "Last summer, Ana worked at a café in her town. She started at six in the morning, so she had to get "
    "up very early. At first, she found the job difficult because she was slow and she often forgot what "
    "the customers ordered. But after a few weeks, she got faster, and she started to enjoy talking to "
    "people. She saved most of her money, and in September she bought a new laptop for college. This "
    "summer, she wants to find a job in an office."
)
_PASSAGE_A2_3 = (
    "LOST DOG. Our dog, Pepper, ran away from Green Park on Saturday morning. She is small and brown with "
    "a white tail, and she is wearing a red collar. Pepper is friendly, but she is afraid of loud noises, "
    "so please do not shout or run after her. If you see her, please call Maria at 555-0147. We are "
    "offering a reward. Thank you!"
)
_PASSAGE_B1_1 = (
    "When I signed up to volunteer at the river cleanup last spring, I expected to spend a few hours "
    "picking up plastic bottles. I didn't expect it to change the way I shop. On our first morning, we "
    "collected more than two hundred bottles from a short stretch of the riverbank, along with bags, "
    "shoes, and even a bicycle. The organizer explained that most of the plastic comes from people who "
    "live in the town, not from visitors. Since then, I've started carrying a reusable bottle, and I try "
    "to buy food with less packaging. It's a small change, but I've persuaded my roommates to do the "
    "same."
)
_PASSAGE_B1_2 = (
    "Dear team, From next Monday, the office will open at 8:00 instead of 9:00, but nobody will have to "
    "work longer hours. You can choose to start at any time between 8:00 and 10:00, as long as you work "
    "seven and a half hours a day. Team meetings will now take place on Wednesdays at 11:00, so please "
    "don't book appointments at that time. If the new system causes problems for you, for example with "
    "childcare, please speak to me before the end of this week. Best wishes, Laura"
)
_PASSAGE_B1_3 = (
    "The first machine that looked like a bicycle was built in Germany in 1817. It had two wheels but no "
    "pedals: riders sat on it and pushed themselves along the ground with their feet. Pedals were added "
    "several decades later, but these early bicycles were heavy and uncomfortable, and people called them "
    '"boneshakers." It was only in the 1880s, when the "safety bicycle" appeared, with two wheels of the '
    "same size and a chain, that cycling became popular with ordinary people."
)
_PASSAGE_B2_1 = (
    "When the company I work for allowed employees to work from home three days a week, most of my "
    "colleagues were delighted. I was too, at first. No commute meant an extra hour and a half each day, "
    "and I could finally eat lunch without rushing. Yet after a few months, I noticed that my working day "
    "had quietly expanded: I was answering emails at nine in the evening and checking messages before "
    "breakfast. The boundary between home and office, which the train journey had once provided, had "
    "disappeared. Now I take a short walk before and after work, a kind of artificial commute, and I'm "
    "surprised by how much it helps."
)
_PASSAGE_B2_2 = (
    "Sleep researchers have long known that teenagers tend to fall asleep and wake up later than adults. "
    "For years, this was blamed on late-night screen use or simply on poor habits. However, studies now "
    "suggest that the shift is largely biological: during adolescence, the body starts releasing the "
    "sleep hormone melatonin later in the evening. This has led some school districts to experiment with "
    "later start times. Early results are encouraging. Students at schools that start after 8:30 report "
    "getting more sleep, and in some cases attendance and grades have improved. Critics, however, point "
    "out that later schedules can create difficulties for parents' working hours and for after-school "
    "sports."
)
_PASSAGE_B2_3 = (
    "When Clara inherited her grandfather's bookstore, her friends advised her to sell it. Online "
    "retailers were cheaper, they said, and nobody browsed shelves anymore. Clara decided to keep it, but "
    "she changed almost everything except the name. She turned the back room into a space for reading "
    "groups and children's storytelling, started selling coffee, and invited local authors to give talks. "
    "Book sales alone still barely cover the rent, she admits, but the events have turned the store into "
    "a meeting place, and the coffee makes the difference between a loss and a profit. \"People don't come "
    'here just to buy a book," she says. "They come to spend an afternoon."'
)
_PASSAGE_C1_1 = (
    'There is something faintly absurd about the industry that has grown up around "digital detox" '
    "retreats. Guests pay considerable sums to have their phones locked away for a weekend and are then "
    "encouraged to share photographs of their newfound serenity the moment they are reunited with their "
    "devices. It would be easy to dismiss the whole phenomenon as a marketing gimmick, and many "
    "commentators have done exactly that. Yet the popularity of such retreats surely tells us something. "
    "People do not pay to be separated from things they feel in control of. That so many are willing to "
    "hand over money for what is, in effect, enforced abstinence suggests a widespread unease that "
    "individual willpower alone can no longer address, and perhaps an implicit admission that the problem "
    "lies less with users than with the way the technology is designed."
)
_PASSAGE_C1_2 = (
    "For most of the twentieth century, the monitoring of bird populations relied on a relatively small "
    "number of trained specialists. Today, much of the data comes from amateurs who log sightings on "
    "smartphone apps. Skeptics initially worried that such records would be too unreliable to be of "
    "scientific use: beginners misidentify species, and enthusiasts tend to visit attractive locations "
    "rather than representative ones. These concerns were not unfounded, but they have proved less "
    "damaging than feared. Because the volume of observations is so vast, statistical models can now "
    "correct for many of the biases, and unusual reports are flagged for review by experienced "
    "volunteers. The result is not a replacement for professional surveys but a complement to them, "
    "offering a breadth of coverage that no research team could afford."
)
_PASSAGE_C1_3 = (
    "My grandmother kept every letter she ever received, filed by year in shoeboxes that lined the top "
    "shelf of her closet. After she died, my mother and I spent a week reading through them. I had "
    "expected the letters to reveal secrets: an old romance, perhaps, or a family feud. Instead, they "
    "were almost aggressively ordinary, full of reports on the weather, the price of eggs, a neighbor's "
    "new car. It was only on the third day that I began to notice what was missing. In forty years of "
    "correspondence, no one ever mentioned the farm she had left as a young woman, or the brother who had "
    "stayed behind to run it. When I pointed this out, my mother simply put the lid back on the box and "
    "said it was time for lunch."
)
_PASSAGE_C2_1 = (
    "Every organization, it seems, eventually discovers that it holds too many meetings, and every "
    "organization responds in the same way: by convening a meeting to discuss the problem. The irony is "
    "rarely lost on participants, yet the ritual persists, and it would be too glib to attribute this "
    "merely to bureaucratic inertia. Meetings perform functions that have little to do with their nominal "
    "agendas. They distribute responsibility, so that no single person can be blamed for a decision; they "
    "signal status, through who is invited and who is not; and they offer a reassuring sense of motion in "
    "institutions where genuine progress is slow and hard to measure. Seen in this light, the meeting "
    "about meetings is not a failure of logic but a perfectly rational act, merely one whose rationale "
    "nobody would care to put in writing."
)
_PASSAGE_C2_2 = (
    "Translators of poetry are fond of quoting the remark, often attributed to Robert Frost, that poetry "
    'is "what gets lost in translation," usually in a preface that goes on to demonstrate, at some '
    "length, how little has been lost in theirs. The gesture is less hypocritical than it appears. To "
    "concede that perfect translation is impossible is not to abandon the enterprise but to redefine its "
    "aim: not replication, which cannot be achieved, but a kind of answering performance, in which a "
    "second poet responds to the first on a different instrument. Judged as replicas, all translations "
    "fail; judged as performances, some succeed brilliantly, and a few have been admired more widely than "
    "the originals they serve. The reader's task, then, is to ask not what has been lost, but what has "
    "been made."
)
_PASSAGE_C2_3 = (
    "In 1865, the economist William Stanley Jevons observed that improvements in the efficiency of steam "
    "engines had not reduced Britain's consumption of coal, as many had predicted, but increased it. "
    "Cheaper power made new uses of coal economical, and total demand rose accordingly. Economists now "
    "call the broader phenomenon the rebound effect, and its relevance to climate policy is hotly "
    "contested. Few dispute that efficiency gains are sometimes partly offset by increased use: drivers "
    "of fuel-efficient cars, for instance, may drive somewhat farther. The disagreement concerns "
    "magnitude. If rebounds are typically small, efficiency remains one of the cheapest tools available "
    "for cutting emissions; if they are large, policies that rely on it may deliver far less than "
    "promised. The honest answer, unwelcome to advocates on both sides, is that it depends heavily on the "
    "sector, the country, and the time frame."
)

ITEMS: list[dict] = [
    # -------------------- A1 --------------------
    {
        "key": "g-a1-01",
        "level": "A1",
        "skill": "grammar",
        "passage": "",
        "prompt": "My brother ___ twelve years old.",
        "choices": ["has", "is", "am", "are"],
        "answer": 1,
        "explanation": "In English we use 'be' for age, not 'have'. With he/she/it (my brother) the form is 'is'.",
    },
    {
        "key": "g-a1-02",
        "level": "A1",
        "skill": "grammar",
        "passage": "",
        "prompt": "___ you have a pen?",
        "choices": ["Are", "Is", "Does", "Do"],
        "answer": 3,
        "explanation": (
            "Questions with 'have' in the present simple use 'do' with I/you/we/they. 'Does' is only for he/she/it."
        ),
    },
    {
        "key": "g-a1-03",
        "level": "A1",
        "skill": "grammar",
        "passage": "",
        "prompt": "There ___ two apples on the table.",
        "choices": ["are", "has", "is", "be"],
        "answer": 0,
        "explanation": "Use 'there are' with plural nouns (two apples). 'There is' is for one thing.",
    },
    {
        "key": "g-a1-04",
        "level": "A1",
        "skill": "grammar",
        "passage": "",
        "prompt": "She ___ to school by bus every day.",
        "choices": ["is go", "going", "goes", "go"],
        "answer": 2,
        "explanation": "In the present simple, add -s or -es to the verb after he/she/it: she goes.",
    },
    {
        "key": "g-a1-05",
        "level": "A1",
        "skill": "grammar",
        "passage": "",
        "prompt": "I have ___ orange and a banana.",
        "choices": ["many", "a", "an", "two"],
        "answer": 2,
        "explanation": "Use 'an' before a vowel sound: an orange. 'Two' and 'many' need a plural noun (oranges).",
    },
    {
        "key": "g-a1-06",
        "level": "A1",
        "skill": "grammar",
        "passage": "",
        "prompt": "This is Anna. ___ bag is red.",
        "choices": ["She", "Hers", "His", "Her"],
        "answer": 3,
        "explanation": (
            "'Her' is the possessive word for a woman or girl and comes before a noun. 'Hers' is used "
            "without a noun (The bag is hers)."
        ),
    },
    {
        "key": "v-a1-01",
        "level": "A1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "You can borrow books from the ___.",
        "choices": ["bakery", "library", "station", "bank"],
        "answer": 1,
        "explanation": "A library is a place where you borrow books. A bakery sells bread and cakes.",
    },
    {
        "key": "v-a1-02",
        "level": "A1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "Monday, Tuesday, ___, Thursday.",
        "choices": ["Wednesday", "Friday", "Sunday", "Saturday"],
        "answer": 0,
        "explanation": (
            "The days of the week in order are Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday."
        ),
    },
    {
        "key": "v-a1-03",
        "level": "A1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "It is very cold today. Put on your ___.",
        "choices": ["coat", "shorts", "sunglasses", "sandals"],
        "answer": 0,
        "explanation": (
            "A coat keeps you warm when it is cold. Shorts, sandals, and sunglasses are for hot, sunny weather."
        ),
    },
    {
        "key": "v-a1-04",
        "level": "A1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "My mother's sister is my ___.",
        "choices": ["uncle", "niece", "aunt", "cousin"],
        "answer": 2,
        "explanation": (
            "Your mother's or father's sister is your aunt. An uncle is a man, and a cousin is your "
            "aunt's or uncle's child."
        ),
    },
    {
        "key": "v-a1-05",
        "level": "A1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "I am hungry. I want to ___ something.",
        "choices": ["sleep", "read", "eat", "wear"],
        "answer": 2,
        "explanation": "When you are hungry, you want to eat. You wear clothes, and you sleep when you are tired.",
    },
    {
        "key": "v-a1-06",
        "level": "A1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": 'The opposite of "big" is ___.',
        "choices": ["long", "old", "tall", "small"],
        "answer": 3,
        "explanation": (
            "'Small' is the opposite of 'big'. The opposite of 'tall' is 'short', and the opposite of "
            "'old' is 'new' or 'young'."
        ),
    },
    {
        "key": "r-a1-01",
        "level": "A1",
        "skill": "reading",
        "passage": _PASSAGE_A1_1,
        "prompt": "How old is Mia?",
        "choices": ["Ten", "Twelve", "Fifteen", "Seven"],
        "answer": 0,
        "explanation": (
            "Lucas says, 'Her name is Mia and she is ten.' Fifteen is Lucas's age, and seven is the time he gets up."
        ),
    },
    {
        "key": "r-a1-02",
        "level": "A1",
        "skill": "reading",
        "passage": _PASSAGE_A1_1,
        "prompt": "How does Lucas go to school?",
        "choices": ["By bus", "On foot", "By car", "By bike"],
        "answer": 3,
        "explanation": "The text says, 'I go to school by bike.'",
    },
    {
        "key": "r-a1-03",
        "level": "A1",
        "skill": "reading",
        "passage": _PASSAGE_A1_2,
        "prompt": "Where is Emma's hotel?",
        "choices": ["Near the sea", "Next to a museum", "Next to a church", "Next to a park"],
        "answer": 3,
        "explanation": (
            "Emma writes that the hotel 'is next to a big park.' She visits a museum today and a church tomorrow."
        ),
    },
    {
        "key": "r-a1-04",
        "level": "A1",
        "skill": "reading",
        "passage": _PASSAGE_A1_2,
        "prompt": "When will Emma see Sara?",
        "choices": ["Tomorrow", "On Sunday", "On Saturday", "Today"],
        "answer": 2,
        "explanation": "Emma ends her message with 'See you on Saturday.'",
    },
    {
        "key": "r-a1-05",
        "level": "A1",
        "skill": "reading",
        "passage": _PASSAGE_A1_3,
        "prompt": "When is the sports center open on Sunday?",
        "choices": [
            "It is closed on Sunday.",
            "From 9 a.m. to 5 p.m.",
            "From 7 a.m. to 9 p.m.",
            "From 7 a.m. to 5 p.m.",
        ],
        "answer": 1,
        "explanation": (
            "The notice says it is open on Saturday and Sunday from 9 a.m. to 5 p.m. The times 7 a.m. to "
            "9 p.m. are for Monday to Friday."
        ),
    },
    {
        "key": "r-a1-06",
        "level": "A1",
        "skill": "reading",
        "passage": _PASSAGE_A1_3,
        "prompt": "How much does a four-year-old child pay to swim?",
        "choices": ["$3", "$6", "Nothing", "$5"],
        "answer": 2,
        "explanation": "Children under 6 swim for free, so a four-year-old pays nothing. $3 is for older children.",
    },
    # -------------------- A2 --------------------
    {
        "key": "g-a2-01",
        "level": "A2",
        "skill": "grammar",
        "passage": "",
        "prompt": "We ___ to the beach last weekend.",
        "choices": ["go", "are going", "have gone", "went"],
        "answer": 3,
        "explanation": (
            "'Last weekend' is a finished time in the past, so we use the past simple: went. We don't use "
            "'have gone' with a finished past time."
        ),
    },
    {
        "key": "g-a2-02",
        "level": "A2",
        "skill": "grammar",
        "passage": "",
        "prompt": "My new phone is ___ than my old one.",
        "choices": ["more light", "lighter", "the lighter", "lightest"],
        "answer": 1,
        "explanation": (
            "Short adjectives make the comparative with -er: light, lighter. 'More' is used with longer "
            "adjectives, such as 'more expensive'."
        ),
    },
    {
        "key": "g-a2-03",
        "level": "A2",
        "skill": "grammar",
        "passage": "",
        "prompt": "While I ___ dinner, the lights went out.",
        "choices": ["were cooking", "was cooking", "cooking", "am cooking"],
        "answer": 1,
        "explanation": (
            "Use the past continuous (was/were + -ing) for an action in progress when something else "
            "happened. With 'I' the form is 'was'."
        ),
    },
    {
        "key": "g-a2-04",
        "level": "A2",
        "skill": "grammar",
        "passage": "",
        "prompt": "There isn't ___ milk in the fridge.",
        "choices": ["some", "a few", "much", "many"],
        "answer": 2,
        "explanation": (
            "Milk is uncountable, so we use 'much' in negative sentences. 'Many' and 'a few' are for "
            "countable nouns, and we normally use 'any', not 'some', after 'isn't'."
        ),
    },
    {
        "key": "g-a2-05",
        "level": "A2",
        "skill": "grammar",
        "passage": "",
        "prompt": "Look at those dark clouds! It ___ rain.",
        "choices": ["goes to", "will going to", "going", "is going to"],
        "answer": 3,
        "explanation": "Use 'be going to' when we can see evidence now that something will happen (the dark clouds).",
    },
    {
        "key": "g-a2-06",
        "level": "A2",
        "skill": "grammar",
        "passage": "",
        "prompt": "You ___ wear a helmet when you ride a motorcycle here. It's the law.",
        "choices": ["has to", "must to", "have to", "having to"],
        "answer": 2,
        "explanation": (
            "'Have to' shows an obligation, such as a law. With 'you' the form is 'have to'. 'Must' is "
            "never followed by 'to'."
        ),
    },
    {
        "key": "v-a2-01",
        "level": "A2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "I'd like to ___ a table at the restaurant for Friday night.",
        "choices": ["put", "do", "order", "book"],
        "answer": 3,
        "explanation": (
            "To 'book' a table means to reserve it in advance. You 'order' food, not a table, and we "
            "don't say 'do a table' or 'put a table'."
        ),
    },
    {
        "key": "v-a2-02",
        "level": "A2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "The train was ___, so we waited on the platform for forty minutes.",
        "choices": ["fast", "empty", "early", "late"],
        "answer": 3,
        "explanation": "If a train is late, it arrives after the planned time, so people have to wait.",
    },
    {
        "key": "v-a2-03",
        "level": "A2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "Can you ___ me your dictionary? I'll give it back tomorrow.",
        "choices": ["lend", "borrow", "take", "keep"],
        "answer": 0,
        "explanation": (
            "You 'lend' something to another person; you 'borrow' something from another person. Here the "
            "friend gives the dictionary, so the answer is 'lend'."
        ),
    },
    {
        "key": "v-a2-04",
        "level": "A2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "My sister is very ___. She always helps other people.",
        "choices": ["shy", "rude", "kind", "lazy"],
        "answer": 2,
        "explanation": (
            "A kind person is friendly and helpful to others. 'Rude' and 'lazy' are negative, and 'shy' "
            "is about feeling nervous with people."
        ),
    },
    {
        "key": "v-a2-05",
        "level": "A2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "You can buy medicine at the ___.",
        "choices": ["pharmacy", "post office", "library", "bakery"],
        "answer": 0,
        "explanation": "A pharmacy (also called a drugstore) is a store that sells medicine.",
    },
    {
        "key": "v-a2-06",
        "level": "A2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "Please ___ off your shoes before you come into the house.",
        "choices": ["get", "take", "put", "make"],
        "answer": 1,
        "explanation": "'Take off' means to remove clothes or shoes. 'Put on' is the opposite.",
    },
    {
        "key": "r-a2-01",
        "level": "A2",
        "skill": "reading",
        "passage": _PASSAGE_A2_1,
        "prompt": "Why can't Jake go to the movies on Friday?",
        "choices": [
            "He has to work late.",
            "His grandmother is visiting.",
            "The movie isn't showing on Friday.",
            "He doesn't have enough money.",
        ],
        "answer": 1,
        "explanation": "Jake writes that his grandmother is visiting and his parents want him at home for dinner.",
    },
    {
        "key": "r-a2-02",
        "level": "A2",
        "skill": "reading",
        "passage": _PASSAGE_A2_1,
        "prompt": "What does Jake ask Ben to do?",
        "choices": [
            "Bring his blue jacket",
            "Call his grandmother",
            "Buy the tickets online",
            "Come to his house for dinner",
        ],
        "answer": 0,
        "explanation": "Jake asks, 'Could you bring my blue jacket?' Jake says he will buy the tickets himself.",
    },
    {
        "key": "r-a2-03",
        "level": "A2",
        "skill": "reading",
        "passage": _PASSAGE_A2_2,
        "prompt": "What was difficult for Ana at first?",
        "choices": [
            "Working late in the evening",
            "Finding the way to the café",
            "Understanding the menu",
            "Remembering customers' orders",
        ],
        "answer": 3,
        "explanation": (
            "The text says she often forgot what the customers ordered. She started work early in the "
            "morning, not late."
        ),
    },
    {
        "key": "r-a2-04",
        "level": "A2",
        "skill": "reading",
        "passage": _PASSAGE_A2_2,
        "prompt": "What did Ana buy with the money she saved?",
        "choices": [
            "Clothes for an office job",
            "A new laptop",
            "A plane ticket for a vacation",
            "A present for her family",
        ],
        "answer": 1,
        "explanation": "The text says she saved most of her money and in September bought a new laptop for college.",
    },
    {
        "key": "r-a2-05",
        "level": "A2",
        "skill": "reading",
        "passage": _PASSAGE_A2_3,
        "prompt": "What does Pepper look like?",
        "choices": [
            "Small and brown with a white tail",
            "Small and white with a red tail",
            "Big and white with a brown tail",
            "Big and brown with a white collar",
        ],
        "answer": 0,
        "explanation": "The notice says Pepper is small and brown with a white tail. Her collar is red, not white.",
    },
    {
        "key": "r-a2-06",
        "level": "A2",
        "skill": "reading",
        "passage": _PASSAGE_A2_3,
        "prompt": "What should you do if you see Pepper?",
        "choices": ["Phone Maria", "Shout her name", "Run after her", "Take her to Green Park"],
        "answer": 0,
        "explanation": (
            "The notice asks people to call Maria and says not to shout or run after the dog because she "
            "is afraid of loud noises."
        ),
    },
    # -------------------- B1 --------------------
    {
        "key": "g-b1-01",
        "level": "B1",
        "skill": "grammar",
        "passage": "",
        "prompt": "I ___ in this city since 2019.",
        "choices": ["live", "am living", "have lived", "lived"],
        "answer": 2,
        "explanation": (
            "Use the present perfect with 'since' for a situation that started in the past and continues "
            "now. The past simple and present simple are not used with 'since' like this."
        ),
    },
    {
        "key": "g-b1-02",
        "level": "B1",
        "skill": "grammar",
        "passage": "",
        "prompt": "If it rains tomorrow, we ___ the picnic.",
        "choices": ["would cancel", "will cancel", "canceled", "would have canceled"],
        "answer": 1,
        "explanation": "This is a first conditional about a real future possibility: if + present simple, will + verb.",
    },
    {
        "key": "g-b1-03",
        "level": "B1",
        "skill": "grammar",
        "passage": "",
        "prompt": "If I ___ more free time, I would learn to play the guitar.",
        "choices": ["had", "will have", "would have", "have"],
        "answer": 0,
        "explanation": (
            "This is a second conditional about an imaginary present situation: if + past simple, would + "
            "verb. 'Would' does not go in the if-clause."
        ),
    },
    {
        "key": "g-b1-04",
        "level": "B1",
        "skill": "grammar",
        "passage": "",
        "prompt": "When I was a child, I ___ be afraid of the dark.",
        "choices": ["use to", "am used to", "was used to", "used to"],
        "answer": 3,
        "explanation": (
            "'Used to' + verb describes a past habit or state that is no longer true. 'Be used to' means "
            "'be familiar with' and is followed by a noun or -ing form."
        ),
    },
    {
        "key": "g-b1-05",
        "level": "B1",
        "skill": "grammar",
        "passage": "",
        "prompt": "I'm thinking about ___ a new language this year.",
        "choices": ["learn", "to learn", "learned", "learning"],
        "answer": 3,
        "explanation": "After a preposition such as 'about', we use the -ing form of the verb.",
    },
    {
        "key": "g-b1-06",
        "level": "B1",
        "skill": "grammar",
        "passage": "",
        "prompt": "The woman ___ lives next door is a nurse.",
        "choices": ["what", "who", "whose", "which"],
        "answer": 1,
        "explanation": (
            "Use 'who' (or 'that') in a relative clause about a person. 'Which' is for things, and "
            "'whose' shows possession."
        ),
    },
    {
        "key": "v-b1-01",
        "level": "B1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "Could you ___ my cat while I'm away this weekend?",
        "choices": ["look after", "look into", "look for", "look up"],
        "answer": 0,
        "explanation": (
            "'Look after' means take care of. 'Look for' means search for, and 'look into' means investigate."
        ),
    },
    {
        "key": "v-b1-02",
        "level": "B1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "The meeting was ___ because the manager was sick.",
        "choices": ["called up", "taken off", "put on", "called off"],
        "answer": 3,
        "explanation": "'Call off' means cancel. 'Call up' means phone someone, and 'put on' means organize an event.",
    },
    {
        "key": "v-b1-03",
        "level": "B1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "I need to ___ a decision about which college to apply to.",
        "choices": ["do", "have", "get", "make"],
        "answer": 3,
        "explanation": "The usual collocation is 'make a decision'. We 'do' homework or a job, but not a decision.",
    },
    {
        "key": "v-b1-04",
        "level": "B1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "We ran ___ of milk, so I went to the store to buy some more.",
        "choices": ["out", "over", "away", "off"],
        "answer": 0,
        "explanation": "'Run out of' something means to have none left.",
    },
    {
        "key": "v-b1-05",
        "level": "B1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "Sarah is very ___. She always arrives exactly on time.",
        "choices": ["punctual", "patient", "generous", "polite"],
        "answer": 0,
        "explanation": (
            "A punctual person is never late. The other adjectives describe good qualities, but not being on time."
        ),
    },
    {
        "key": "v-b1-06",
        "level": "B1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "It took me almost two weeks to ___ from the flu.",
        "choices": ["cure", "recover", "treat", "remedy"],
        "answer": 1,
        "explanation": (
            "You 'recover from' an illness, which means you get better. A doctor or medicine can 'cure' "
            "or 'treat' an illness, but these verbs need an object and are not used with 'from' like "
            "this."
        ),
    },
    {
        "key": "r-b1-01",
        "level": "B1",
        "skill": "reading",
        "passage": _PASSAGE_B1_1,
        "prompt": "What did the writer NOT expect when signing up to volunteer?",
        "choices": [
            "That it would take place by a river",
            "That it would involve picking up plastic bottles",
            "That it would change the way the writer shops",
            "That it would take a few hours",
        ],
        "answer": 2,
        "explanation": (
            "The writer says, 'I didn't expect it to change the way I shop.' The writer did expect to "
            "spend a few hours picking up bottles."
        ),
    },
    {
        "key": "r-b1-02",
        "level": "B1",
        "skill": "reading",
        "passage": _PASSAGE_B1_1,
        "prompt": "According to the organizer, where does most of the plastic come from?",
        "choices": [
            "The writer's roommates",
            "Tourists visiting the area",
            "People who live in the town",
            "Factories farther up the river",
        ],
        "answer": 2,
        "explanation": (
            "The organizer explained that most of the plastic comes from people who live in the town, not "
            "from visitors."
        ),
    },
    {
        "key": "r-b1-03",
        "level": "B1",
        "skill": "reading",
        "passage": _PASSAGE_B1_2,
        "prompt": "What is the main purpose of Laura's email?",
        "choices": [
            "To cancel the weekly team meeting",
            "To tell the team they must work longer hours",
            "To ask staff how much they pay for childcare",
            "To explain a new, more flexible work schedule",
        ],
        "answer": 3,
        "explanation": (
            "The email explains that staff can now choose a start time between 8:00 and 10:00. It says "
            "clearly that nobody will work longer hours, and the meeting is moved, not canceled."
        ),
    },
    {
        "key": "r-b1-04",
        "level": "B1",
        "skill": "reading",
        "passage": _PASSAGE_B1_2,
        "prompt": "Which of these is allowed under the new system?",
        "choices": [
            "Starting at 7:30 and leaving early",
            "Booking a dentist appointment for Wednesday at 11:00",
            "Starting at 10:30 and staying later",
            "Starting at 9:30 and working seven and a half hours",
        ],
        "answer": 3,
        "explanation": (
            "Staff can start at any time between 8:00 and 10:00 as long as they work seven and a half "
            "hours. 7:30 and 10:30 are outside that time, and Wednesday at 11:00 is now reserved for "
            "meetings."
        ),
    },
    {
        "key": "r-b1-05",
        "level": "B1",
        "skill": "reading",
        "passage": _PASSAGE_B1_3,
        "prompt": "How did people ride the machine built in 1817?",
        "choices": [
            "By turning pedals on the front wheel",
            "By using a chain connected to the back wheel",
            "By pushing along the ground with their feet",
            "By having a horse or another person pull it",
        ],
        "answer": 2,
        "explanation": (
            "The text says it had no pedals, so riders pushed themselves along the ground with their "
            "feet. Pedals and chains came later."
        ),
    },
    {
        "key": "r-b1-06",
        "level": "B1",
        "skill": "reading",
        "passage": _PASSAGE_B1_3,
        "prompt": "Why did cycling become popular in the 1880s?",
        "choices": [
            "Pedals were added for the first time.",
            "Bicycles became cheaper than horses.",
            "The safety bicycle was introduced.",
            "Boneshakers became lighter and more comfortable.",
        ],
        "answer": 2,
        "explanation": (
            "Cycling became popular when the 'safety bicycle', with two wheels of the same size and a "
            "chain, appeared. Pedals had been added decades earlier."
        ),
    },
    # -------------------- B2 --------------------
    {
        "key": "g-b2-01",
        "level": "B2",
        "skill": "grammar",
        "passage": "",
        "prompt": "The new bridge ___ by the end of next year.",
        "choices": ["is completing", "has been completed", "will have completed", "will have been completed"],
        "answer": 3,
        "explanation": (
            "The bridge receives the action, so we need a passive, and 'by the end of next year' calls "
            "for the future perfect: will have been completed. 'Will have completed' is active and would "
            "mean the bridge completes something."
        ),
    },
    {
        "key": "g-b2-02",
        "level": "B2",
        "skill": "grammar",
        "passage": "",
        "prompt": "She asked me where ___.",
        "choices": [
            "did I buy my jacket",
            "have I bought my jacket",
            "had I bought my jacket",
            "I had bought my jacket",
        ],
        "answer": 3,
        "explanation": (
            "In a reported question, the word order is like a statement (subject before verb), and we "
            "don't use 'did'. The other options use question word order."
        ),
    },
    {
        "key": "g-b2-03",
        "level": "B2",
        "skill": "grammar",
        "passage": "",
        "prompt": "If I had accepted that job in Chicago, I ___ there now.",
        "choices": ["would have lived", "will live", "would be living", "had lived"],
        "answer": 2,
        "explanation": (
            "This is a mixed conditional: a past condition (had accepted) with a present result ('now'), "
            "so we use 'would' + present form. 'Would have lived' refers to the past, which doesn't fit "
            "with 'now'."
        ),
    },
    {
        "key": "g-b2-04",
        "level": "B2",
        "skill": "grammar",
        "passage": "",
        "prompt": "We had our roof ___ after the storm damaged it.",
        "choices": ["repair", "repairing", "to repair", "repaired"],
        "answer": 3,
        "explanation": (
            "The causative 'have + object + past participle' means someone else does the job for us: we "
            "had our roof repaired."
        ),
    },
    {
        "key": "g-b2-05",
        "level": "B2",
        "skill": "grammar",
        "passage": "",
        "prompt": "You ___ told me about the meeting! I would have come.",
        "choices": ["needn't have", "must have", "should have", "have"],
        "answer": 2,
        "explanation": (
            "'Should have' + past participle criticizes something that didn't happen in the past. 'Must "
            "have' would mean you are sure it happened, and 'needn't have' that it was unnecessary; both "
            "contradict 'I would have come'."
        ),
    },
    {
        "key": "g-b2-06",
        "level": "B2",
        "skill": "grammar",
        "passage": "",
        "prompt": "I wish I ___ harder for the exam last month.",
        "choices": ["would study", "had studied", "have studied", "studied"],
        "answer": 1,
        "explanation": (
            "To express regret about the past, use 'wish' + past perfect. 'Wish' + past simple (I wish I "
            "studied) is about the present."
        ),
    },
    {
        "key": "v-b2-01",
        "level": "B2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "The company plans to ___ a new advertising campaign next month.",
        "choices": ["arise", "rise", "launch", "raise"],
        "answer": 2,
        "explanation": (
            "We 'launch' a campaign, product, or website, meaning we start it publicly. 'Rise' and "
            "'arise' cannot take an object."
        ),
    },
    {
        "key": "v-b2-02",
        "level": "B2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "The government has ___ measures to reduce air pollution in cities.",
        "choices": ["taken", "given", "done", "made"],
        "answer": 0,
        "explanation": (
            "The fixed collocation is 'take measures' (or 'take steps'), meaning to act in order to deal "
            "with a problem."
        ),
    },
    {
        "key": "v-b2-03",
        "level": "B2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "The factory had to ___ two hundred workers when demand for its products fell.",
        "choices": ["lay off", "lay by", "lay out", "lay down"],
        "answer": 0,
        "explanation": (
            "To 'lay off' workers means to stop employing them because there is not enough work. 'Lay "
            "out' means arrange or spread out."
        ),
    },
    {
        "key": "v-b2-04",
        "level": "B2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "She has a ___ knowledge of European history; she can answer almost any question about it.",
        "choices": ["thick", "thorough", "heavy", "hard"],
        "answer": 1,
        "explanation": (
            "'Thorough knowledge' means detailed and complete knowledge. 'Heavy', 'hard', and 'thick' do "
            "not collocate with 'knowledge'."
        ),
    },
    {
        "key": "v-b2-05",
        "level": "B2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "The reviews of the film were ___: some critics loved it, while others found it boring.",
        "choices": ["blended", "mingled", "mixed", "stirred"],
        "answer": 2,
        "explanation": (
            "'Mixed reviews' means that some opinions were positive and some negative. 'Mingled' and "
            "'blended' describe physically combining things."
        ),
    },
    {
        "key": "v-b2-06",
        "level": "B2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "Jack couldn't ___ the temptation to check his phone during the lecture.",
        "choices": ["refuse", "resist", "reject", "deny"],
        "answer": 1,
        "explanation": (
            "We say 'resist (the) temptation', meaning to stop yourself from doing something you want to "
            "do. 'Refuse' and 'reject' are used for offers or requests."
        ),
    },
    {
        "key": "r-b2-01",
        "level": "B2",
        "skill": "reading",
        "passage": _PASSAGE_B2_1,
        "prompt": "What problem did the writer gradually notice?",
        "choices": [
            "Less work was getting done at home.",
            "The train journey had become longer.",
            "Work was taking up more and more of the day.",
            "Working from home felt lonely without colleagues.",
        ],
        "answer": 2,
        "explanation": (
            "The writer says the working day had 'quietly expanded', with emails answered at nine in the "
            "evening and messages checked before breakfast."
        ),
    },
    {
        "key": "r-b2-02",
        "level": "B2",
        "skill": "reading",
        "passage": _PASSAGE_B2_1,
        "prompt": "Why does the writer now go for a walk before and after work?",
        "choices": [
            "Because a doctor advised more exercise during the working day",
            "To have time to answer emails while walking",
            "Because the company now requires staff to take regular breaks",
            "To recreate the boundary that the commute once provided",
        ],
        "answer": 3,
        "explanation": (
            "The writer calls the walk 'a kind of artificial commute': it replaces the boundary between "
            "home and office that the train journey once provided."
        ),
    },
    {
        "key": "r-b2-03",
        "level": "B2",
        "skill": "reading",
        "passage": _PASSAGE_B2_2,
        "prompt": "According to the passage, what mainly causes teenagers to sleep later?",
        "choices": [
            "Poor habits learned from parents",
            "Schools starting too early in the morning",
            "Using phones and computers late at night",
            "A biological change in hormone timing",
        ],
        "answer": 3,
        "explanation": (
            "Studies suggest the shift is 'largely biological' because melatonin is released later in the "
            "evening. Screen use and poor habits were the older explanations."
        ),
    },
    {
        "key": "r-b2-04",
        "level": "B2",
        "skill": "reading",
        "passage": _PASSAGE_B2_2,
        "prompt": "How does the writer present later school start times?",
        "choices": [
            "By weighing benefits against drawbacks",
            "By suggesting that critics have proved they fail",
            "By arguing that every school must adopt them",
            "By claiming there is no evidence that they help",
        ],
        "answer": 0,
        "explanation": (
            "The writer reports encouraging early results but also notes the critics' concerns about "
            "parents' work and sports, giving a balanced picture."
        ),
    },
    {
        "key": "r-b2-05",
        "level": "B2",
        "skill": "reading",
        "passage": _PASSAGE_B2_3,
        "prompt": "Why did Clara's friends advise her to sell the bookstore?",
        "choices": [
            "The store was too small to make money.",
            "Online retailers were cheaper.",
            "She had no experience running a business.",
            "The rent was about to go up sharply.",
        ],
        "answer": 1,
        "explanation": "Her friends said online retailers were cheaper and that nobody browsed shelves anymore.",
    },
    {
        "key": "r-b2-06",
        "level": "B2",
        "skill": "reading",
        "passage": _PASSAGE_B2_3,
        "prompt": "What can be inferred about the store's finances?",
        "choices": [
            "It relies on non-book income to make a profit.",
            "Books are now its main source of profit.",
            "It is still losing money every month.",
            "It is supported by money from her grandfather.",
        ],
        "answer": 0,
        "explanation": (
            "Book sales 'barely cover the rent', and the coffee 'makes the difference between a loss and "
            "a profit', so the store relies on other income to be profitable."
        ),
    },
    # -------------------- C1 --------------------
    {
        "key": "g-c1-01",
        "level": "C1",
        "skill": "grammar",
        "passage": "",
        "prompt": "Not until the results were published ___ how serious the problem was.",
        "choices": ["we did realize", "did we realize", "had we realize", "we realized"],
        "answer": 1,
        "explanation": (
            "When a sentence begins with 'Not until...', the main clause uses inverted word order "
            "(auxiliary + subject): did we realize."
        ),
    },
    {
        "key": "g-c1-02",
        "level": "C1",
        "skill": "grammar",
        "passage": "",
        "prompt": "___ had I sat down than the phone rang.",
        "choices": ["No sooner", "As soon as", "Immediately", "Only when"],
        "answer": 0,
        "explanation": (
            "'No sooner had + subject + past participle ... than' is a fixed inverted structure meaning "
            "'immediately after'. 'Than' only fits with 'no sooner'."
        ),
    },
    {
        "key": "g-c1-03",
        "level": "C1",
        "skill": "grammar",
        "passage": "",
        "prompt": "___ I find most frustrating about the new system is how complicated it is.",
        "choices": ["It", "That", "Which", "What"],
        "answer": 3,
        "explanation": (
            "This is a cleft sentence: 'What I find most frustrating ... is ...'. 'What' here means 'the thing that'."
        ),
    },
    {
        "key": "g-c1-04",
        "level": "C1",
        "skill": "grammar",
        "passage": "",
        "prompt": "___ you need any further information, please do not hesitate to contact us.",
        "choices": ["Should", "Would", "Were", "Had"],
        "answer": 0,
        "explanation": (
            "'Should you need...' is a formal inverted form of 'If you need...'. 'Were you to need' would "
            "also work, but 'Were you need' and 'Had you need' are not grammatical."
        ),
    },
    {
        "key": "g-c1-05",
        "level": "C1",
        "skill": "grammar",
        "passage": "",
        "prompt": "It was only when she moved abroad ___ she realized how much she missed her family.",
        "choices": ["that", "which", "then", "when"],
        "answer": 0,
        "explanation": (
            "The cleft structure 'It was only when... that...' emphasizes the time. The second clause is "
            "introduced by 'that', not by repeating 'when'."
        ),
    },
    {
        "key": "g-c1-06",
        "level": "C1",
        "skill": "grammar",
        "passage": "",
        "prompt": "So ___ was the storm that all flights were canceled.",
        "choices": ["much severe", "severe", "severely", "severity"],
        "answer": 1,
        "explanation": (
            "In the inverted pattern 'So + adjective + be + subject + that...', we need an adjective: So "
            "severe was the storm that... 'Severely' is an adverb and 'severity' is a noun."
        ),
    },
    {
        "key": "v-c1-01",
        "level": "C1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "The proposal to close the library was met with ___ opposition from local residents.",
        "choices": ["thick", "fast", "fierce", "tall"],
        "answer": 2,
        "explanation": (
            "'Fierce opposition' is a strong collocation meaning very determined resistance. The other "
            "adjectives do not combine with 'opposition'."
        ),
    },
    {
        "key": "v-c1-02",
        "level": "C1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "The new manager really hit the ground ___; within a week she had reorganized the whole department.",
        "choices": ["jumping", "running", "racing", "walking"],
        "answer": 1,
        "explanation": "'Hit the ground running' is an idiom meaning to start something new quickly and energetically.",
    },
    {
        "key": "v-c1-03",
        "level": "C1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "His explanation doesn't ___ water; there are too many inconsistencies in it.",
        "choices": ["carry", "bear", "keep", "hold"],
        "answer": 3,
        "explanation": "If an argument or explanation doesn't 'hold water', it is not convincing or logical.",
    },
    {
        "key": "v-c1-04",
        "level": "C1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "The leaked emails have ___ doubt on the minister's version of events.",
        "choices": ["laid", "set", "dropped", "cast"],
        "answer": 3,
        "explanation": "'Cast doubt on' something means to make people less certain that it is true.",
    },
    {
        "key": "v-c1-05",
        "level": "C1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "The minister gave a deliberately ___ answer, refusing to commit herself either way.",
        "choices": ["abrasive", "pervasive", "evasive", "invasive"],
        "answer": 2,
        "explanation": (
            "An evasive answer avoids dealing with the question directly. 'Invasive' means spreading into "
            "something, 'pervasive' means present everywhere, and 'abrasive' means harsh or rude."
        ),
    },
    {
        "key": "v-c1-06",
        "level": "C1",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "The success of the whole project ___ on securing additional funding.",
        "choices": ["sways", "hinges", "bends", "tilts"],
        "answer": 1,
        "explanation": "If something 'hinges on' something else, it depends completely on it.",
    },
    {
        "key": "r-c1-01",
        "level": "C1",
        "skill": "reading",
        "passage": _PASSAGE_C1_1,
        "prompt": "What is the writer's attitude toward digital detox retreats?",
        "choices": [
            "The writer is indifferent to them and to their popularity.",
            "The writer dismisses them as a mere marketing gimmick.",
            "The writer finds them faintly absurd but socially revealing.",
            "The writer enthusiastically recommends them to readers.",
        ],
        "answer": 2,
        "explanation": (
            "The writer calls the industry 'faintly absurd' but then says 'the popularity of such "
            "retreats surely tells us something'. Others are said to dismiss them as a gimmick, but the "
            "writer does not."
        ),
    },
    {
        "key": "r-c1-02",
        "level": "C1",
        "skill": "reading",
        "passage": _PASSAGE_C1_1,
        "prompt": "What does the writer imply in the final sentence?",
        "choices": [
            "Paying for a retreat is the most effective solution to the problem of phone overuse.",
            "The design of technology is partly responsible for people's compulsive use of it.",
            "Users simply need more self-discipline to control how often they check their phones.",
            "Technology companies should be banned from selling smartphones.",
        ],
        "answer": 1,
        "explanation": (
            "The writer suggests that willpower 'alone can no longer address' the unease and that the "
            "problem lies 'less with users than with the way the technology is designed'."
        ),
    },
    {
        "key": "r-c1-03",
        "level": "C1",
        "skill": "reading",
        "passage": _PASSAGE_C1_2,
        "prompt": "How does the writer view the skeptics' original concerns?",
        "choices": [
            "As reasonable but less serious than expected",
            "As irrelevant to modern science",
            "As entirely mistaken and quickly disproved",
            "As fully confirmed by later statistical evidence",
        ],
        "answer": 0,
        "explanation": (
            "The writer says the concerns 'were not unfounded' (they had some basis) but 'proved less "
            "damaging than feared'."
        ),
    },
    {
        "key": "r-c1-04",
        "level": "C1",
        "skill": "reading",
        "passage": _PASSAGE_C1_2,
        "prompt": "According to the passage, what is the main value of data collected by amateurs?",
        "choices": [
            "It comes only from carefully chosen, representative locations.",
            "It covers a far wider area than professionals could afford to survey.",
            "It is more accurate than the data gathered in professional surveys.",
            "It makes expensive professional surveys of bird populations unnecessary.",
        ],
        "answer": 1,
        "explanation": (
            "The writer calls amateur data 'a complement' to professional surveys that offers 'a breadth "
            "of coverage that no research team could afford'. It is explicitly not a replacement."
        ),
    },
    {
        "key": "r-c1-05",
        "level": "C1",
        "skill": "reading",
        "passage": _PASSAGE_C1_3,
        "prompt": "What did the narrator gradually realize about the letters?",
        "choices": [
            "Key parts of the grandmother's past were never mentioned.",
            "They hinted at a secret romance in the grandmother's youth.",
            "Most of them had been written by the narrator's mother.",
            "They revealed the cause of a long-running family feud.",
        ],
        "answer": 0,
        "explanation": (
            "On the third day the narrator noticed 'what was missing': no one ever mentioned the farm or "
            "the brother. The narrator had expected secrets such as a romance or feud, but found none."
        ),
    },
    {
        "key": "r-c1-06",
        "level": "C1",
        "skill": "reading",
        "passage": _PASSAGE_C1_3,
        "prompt": "What does the mother's reaction most strongly suggest?",
        "choices": [
            "She was unwilling to talk about the subject.",
            "She was pleased that the narrator had noticed the gap.",
            "She had not been paying attention to the letters.",
            "She thought the narrator had misread the letters.",
        ],
        "answer": 0,
        "explanation": (
            "Closing the box and changing the subject to lunch suggests she wanted to avoid the topic, "
            "not that she was uninterested or disagreed."
        ),
    },
    # -------------------- C2 --------------------
    {
        "key": "g-c2-01",
        "level": "C2",
        "skill": "grammar",
        "passage": "",
        "prompt": "The committee is believed ___ the proposal before the announcement was made.",
        "choices": ["that it rejected", "to have rejected", "having rejected", "to reject"],
        "answer": 1,
        "explanation": (
            "In the passive reporting structure 'is believed + to-infinitive', we use the perfect "
            "infinitive (to have + past participle) when the action happened before the time of "
            "believing."
        ),
    },
    {
        "key": "g-c2-02",
        "level": "C2",
        "skill": "grammar",
        "passage": "",
        "prompt": "Much ___ I admire her work, I cannot agree with her conclusions.",
        "choices": ["how", "so", "as", "that"],
        "answer": 2,
        "explanation": (
            "'Much as' is a concessive expression meaning 'although... very much'. It is fixed; 'much so' "
            "or 'much that' is not possible here."
        ),
    },
    {
        "key": "g-c2-03",
        "level": "C2",
        "skill": "grammar",
        "passage": "",
        "prompt": (
            "The data ___ collected over a ten-year period, the researchers were finally able to test their hypothesis."
        ),
        "choices": ["having been", "having", "had been", "been"],
        "answer": 0,
        "explanation": (
            "This is an absolute participle clause with its own subject ('the data'). It needs a passive "
            "perfect participle, 'having been collected', meaning 'after the data had been collected'."
        ),
    },
    {
        "key": "g-c2-04",
        "level": "C2",
        "skill": "grammar",
        "passage": "",
        "prompt": "Not for nothing ___ known as the City of Bridges.",
        "choices": ["does Pittsburgh", "is Pittsburgh", "Pittsburgh is", "has Pittsburgh"],
        "answer": 1,
        "explanation": (
            "After the negative opening 'Not for nothing', the subject and auxiliary are inverted: 'is "
            "Pittsburgh known'. 'Does' and 'has' cannot form a passive with 'known' here."
        ),
    },
    {
        "key": "g-c2-05",
        "level": "C2",
        "skill": "grammar",
        "passage": "",
        "prompt": "Such ___ the demand for tickets that the website crashed within minutes.",
        "choices": ["did", "had", "made", "was"],
        "answer": 3,
        "explanation": (
            "In the emphatic pattern 'Such + be + noun phrase + that...', 'such' stands for 'so great', "
            "and the verb is 'be', inverted: Such was the demand..."
        ),
    },
    {
        "key": "g-c2-06",
        "level": "C2",
        "skill": "grammar",
        "passage": "",
        "prompt": "Far be it ___ me to criticize, but I think your plan has a serious flaw.",
        "choices": ["for", "to", "from", "by"],
        "answer": 2,
        "explanation": (
            "'Far be it from me to...' is a fixed expression (using an old subjunctive form) introducing "
            "a criticism politely."
        ),
    },
    {
        "key": "v-c2-01",
        "level": "C2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "Her reply was so ___ that nobody could tell whether she had accepted the offer or not.",
        "choices": ["equivalent", "equitable", "equivocal", "equable"],
        "answer": 2,
        "explanation": (
            "'Equivocal' means deliberately unclear or open to more than one interpretation. 'Equitable' "
            "means fair, and 'equable' means calm and even-tempered."
        ),
    },
    {
        "key": "v-c2-02",
        "level": "C2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "He has a ___ for exaggeration, so take his stories with a grain of salt.",
        "choices": ["pension", "penchant", "penance", "pendant"],
        "answer": 1,
        "explanation": (
            "A 'penchant' is a strong liking or tendency. The other words look similar but mean a "
            "necklace ornament, a self-punishment, and a retirement income."
        ),
    },
    {
        "key": "v-c2-03",
        "level": "C2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": (
            "Having watched her rivals squabble for months, she was content to ___ her time and wait for "
            "the right moment."
        ),
        "choices": ["abide", "bode", "bide", "bid"],
        "answer": 2,
        "explanation": (
            "'Bide your time' is an idiom meaning to wait patiently for a good opportunity. 'Bode' is "
            "used in 'bode well/ill', and 'abide' means tolerate."
        ),
    },
    {
        "key": "v-c2-04",
        "level": "C2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": (
            "The author's later novels, long dismissed by critics, have enjoyed something of a ___ in recent years."
        ),
        "choices": ["recrimination", "renaissance", "reconnaissance", "renunciation"],
        "answer": 1,
        "explanation": (
            "A 'renaissance' is a revival of interest. 'Reconnaissance' is military observation, "
            "'renunciation' is giving something up, and 'recrimination' is an accusation made in return."
        ),
    },
    {
        "key": "v-c2-05",
        "level": "C2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": "We need a ___ referee: someone with no personal stake in the outcome.",
        "choices": ["disaffected", "disinterested", "uninterested", "disenchanted"],
        "answer": 1,
        "explanation": (
            "'Disinterested' means impartial, having nothing to gain. 'Uninterested' means not "
            "interested, which is a common confusion; 'disaffected' and 'disenchanted' mean dissatisfied "
            "or disillusioned."
        ),
    },
    {
        "key": "v-c2-06",
        "level": "C2",
        "skill": "vocabulary",
        "passage": "",
        "prompt": (
            "The senator's speech was full of ___ platitudes, carefully designed to offend no one and "
            "commit to nothing."
        ),
        "choices": ["anodyne", "incendiary", "acerbic", "abrasive"],
        "answer": 0,
        "explanation": (
            "'Anodyne' means bland and inoffensive. 'Acerbic', 'incendiary', and 'abrasive' all describe "
            "language likely to offend, which contradicts 'offend no one'."
        ),
    },
    {
        "key": "r-c2-01",
        "level": "C2",
        "skill": "reading",
        "passage": _PASSAGE_C2_1,
        "prompt": 'Why does the writer consider it "too glib" to blame bureaucratic inertia?',
        "choices": [
            "Because bureaucratic inertia does not exist in modern organizations.",
            "Because participants fail to notice the irony of meetings about meetings.",
            "Because most meetings in fact achieve their official goals.",
            "Because meetings serve real but unacknowledged purposes.",
        ],
        "answer": 3,
        "explanation": (
            "The writer goes on to list hidden functions of meetings (spreading responsibility, signaling "
            "status, giving a sense of motion) that have 'little to do with their nominal agendas'."
        ),
    },
    {
        "key": "r-c2-02",
        "level": "C2",
        "skill": "reading",
        "passage": _PASSAGE_C2_1,
        "prompt": 'What is implied by the phrase "one whose rationale nobody would care to put in writing"?',
        "choices": [
            "Nobody understands why so many meetings are held.",
            "Organizations rarely keep written records of their meetings.",
            "Meetings serve motives too self-serving to admit openly.",
            "Decisions are made verbally so as to avoid legal problems.",
        ],
        "answer": 2,
        "explanation": (
            "The functions listed (avoiding blame, displaying status) are rational but unflattering, so "
            "people would not want to state them openly. The writer calls the act 'perfectly rational', "
            "so it is understood, not mysterious."
        ),
    },
    {
        "key": "r-c2-03",
        "level": "C2",
        "skill": "reading",
        "passage": _PASSAGE_C2_2,
        "prompt": "How would you best describe the tone of the first sentence?",
        "choices": ["Gently ironic", "Bitterly hostile", "Neutral and technical", "Openly admiring"],
        "answer": 0,
        "explanation": (
            "The writer lightly mocks translators who quote the remark and then show how little they have "
            "lost, but immediately adds that the gesture is 'less hypocritical than it appears', so the "
            "tone is ironic, not hostile."
        ),
    },
    {
        "key": "r-c2-04",
        "level": "C2",
        "skill": "reading",
        "passage": _PASSAGE_C2_2,
        "prompt": "Which statement would the writer most probably agree with?",
        "choices": [
            "A translation can have value as a creative work in its own right.",
            "A good translation should aim to replicate the original exactly.",
            "An original poem is always superior to any translation of it.",
            "Poetry should not be translated because too much is lost.",
        ],
        "answer": 0,
        "explanation": (
            "The writer redefines translation as 'a kind of answering performance' and notes that some "
            "translations are admired more than their originals, so replication is not the goal and "
            "originals are not always superior."
        ),
    },
    {
        "key": "r-c2-05",
        "level": "C2",
        "skill": "reading",
        "passage": _PASSAGE_C2_3,
        "prompt": "According to the passage, what is the main point of disagreement among experts?",
        "choices": [
            "Whether efficient cars are driven farther",
            "How large the rebound effect typically is",
            "Whether the rebound effect exists at all",
            "Whether Jevons's observations about coal were accurate",
        ],
        "answer": 1,
        "explanation": (
            "'Few dispute' that the effect exists; 'the disagreement concerns magnitude', that is, how big it is."
        ),
    },
    {
        "key": "r-c2-06",
        "level": "C2",
        "skill": "reading",
        "passage": _PASSAGE_C2_3,
        "prompt": 'Why is the "honest answer" described as "unwelcome to advocates on both sides"?',
        "choices": [
            "It shows that Jevons was wrong about coal.",
            "It proves that efficiency policies are useless.",
            "It reveals that economists have stopped studying the question.",
            "It denies both sides a simple, general conclusion.",
        ],
        "answer": 3,
        "explanation": (
            "Saying that the effect 'depends heavily on the sector, the country, and the time frame' "
            "denies both those who say rebounds are small and those who say they are large a universal "
            "claim."
        ),
    },
]

WRITING_PROMPTS: list[dict] = [
    {
        "key": "w-01",
        "level": "A2",
        "prompt": (
            "Write an email to a friend about what you did last weekend. Say where you went, who you were "
            "with, and what you enjoyed most."
        ),
        "min_words": 40,
        "max_words": 120,
    },
    {
        "key": "w-02",
        "level": "A2",
        "prompt": (
            "Write about your favorite place in your town or city. Say where it is, what people can do "
            "there, and why you like it."
        ),
        "min_words": 40,
        "max_words": 120,
    },
    {
        "key": "w-03",
        "level": "B1",
        "prompt": (
            "A friend from another country is planning to visit your country for a week. Write an email "
            "recommending places to visit and giving some advice about travel and food."
        ),
        "min_words": 80,
        "max_words": 180,
    },
    {
        "key": "w-04",
        "level": "B1",
        "prompt": (
            "Describe an experience that taught you something important. Explain what happened, how you "
            "felt, and what you learned from it."
        ),
        "min_words": 80,
        "max_words": 180,
    },
    {
        "key": "w-05",
        "level": "B2",
        "prompt": (
            "Some people believe that schools should teach practical skills such as cooking and managing "
            "money. Write an essay giving your opinion. Support it with reasons and examples, and mention "
            "at least one argument against your view."
        ),
        "min_words": 140,
        "max_words": 250,
    },
    {
        "key": "w-06",
        "level": "B2",
        "prompt": (
            "Write a review of a book, movie, app, or place you know well for a website read by people "
            "your age. Describe it, discuss its strengths and weaknesses, and say who you would recommend "
            "it to."
        ),
        "min_words": 140,
        "max_words": 250,
    },
    {
        "key": "w-07",
        "level": "C1",
        "prompt": (
            "Write a proposal for your school, college, or workplace suggesting one change that would "
            "reduce its environmental impact. Explain the problem, describe your proposal, anticipate "
            "likely objections, and explain how they could be addressed."
        ),
        "min_words": 180,
        "max_words": 300,
    },
    {
        "key": "w-08",
        "level": "C1",
        "prompt": (
            '"Technology has made us more connected but less close." Write an essay discussing this '
            "statement, considering different points of view and reaching a clear conclusion of your own."
        ),
        "min_words": 180,
        "max_words": 300,
    },
    {
        "key": "w-09",
        "level": "C2",
        "prompt": (
            "Some argue that preserving endangered languages is as important as protecting endangered "
            "species. Write an essay critically evaluating this claim, considering cultural, scientific, "
            "and practical perspectives."
        ),
        "min_words": 200,
        "max_words": 350,
    },
    {
        "key": "w-10",
        "level": "C2",
        "prompt": (
            "A newspaper has published an article arguing that all public museums should charge admission "
            "fees. Write a letter to the editor responding to it. Acknowledge the strongest points of the "
            "opposing view before making your own case, and adopt a register suitable for publication."
        ),
        "min_words": 200,
        "max_words": 350,
    },
]


def validate() -> None:
    """Raise AssertionError if the item bank breaks any structural rule."""
    assert isinstance(ITEMS, list) and isinstance(WRITING_PROMPTS, list)
    keys: set[str] = set()
    counts: dict[tuple[str, str], int] = {}
    for item in ITEMS:
        key = item.get("key")
        assert isinstance(key, str) and key, f"missing key: {item!r}"
        assert key not in keys, f"duplicate key: {key}"
        keys.add(key)
        expected_fields = {"key", "level", "skill", "passage", "prompt", "choices", "answer", "explanation"}
        assert set(item) == expected_fields, f"{key}: fields {sorted(item)}"
        level, skill = item["level"], item["skill"]
        assert level in LEVELS, f"{key}: bad level {level!r}"
        assert skill in SKILLS, f"{key}: bad skill {skill!r}"
        assert key.startswith(f"{skill[0]}-{level.lower()}-"), f"{key}: key does not match skill/level"
        assert isinstance(item["prompt"], str) and item["prompt"].strip(), f"{key}: empty prompt"
        choices = item["choices"]
        assert isinstance(choices, list) and len(choices) == 4, f"{key}: need exactly 4 choices"
        assert all(isinstance(c, str) and c.strip() for c in choices), f"{key}: empty choice"
        assert len({c.strip().lower() for c in choices}) == 4, f"{key}: choices not distinct"
        answer = item["answer"]
        assert isinstance(answer, int) and not isinstance(answer, bool), f"{key}: answer must be an int"
        assert 0 <= answer < 4, f"{key}: answer index out of range"
        explanation = item["explanation"]
        assert isinstance(explanation, str) and explanation.strip(), f"{key}: empty explanation"
        passage = item["passage"]
        assert isinstance(passage, str), f"{key}: passage must be a string"
        if skill == "reading":
            words = len(passage.split())
            assert 40 <= words <= 160, f"{key}: passage has {words} words"
        else:
            assert passage == "", f"{key}: only reading items have a passage"
        counts[(level, skill)] = counts.get((level, skill), 0) + 1
    for level in LEVELS:
        for skill in SKILLS:
            n = counts.get((level, skill), 0)
            assert n == 6, f"{level}/{skill}: {n} items, expected 6"
    assert len(ITEMS) >= 108

    assert len(WRITING_PROMPTS) >= 8, "need at least 8 writing prompts"
    wkeys: set[str] = set()
    wlevels: set[str] = set()
    for wp in WRITING_PROMPTS:
        assert set(wp) == {"key", "level", "prompt", "min_words", "max_words"}, f"writing prompt fields: {wp!r}"
        key = wp["key"]
        assert isinstance(key, str) and key and key not in wkeys, f"bad or duplicate writing key: {key!r}"
        wkeys.add(key)
        assert wp["level"] in LEVELS, f"{key}: bad level"
        wlevels.add(wp["level"])
        assert isinstance(wp["prompt"], str) and wp["prompt"].strip(), f"{key}: empty prompt"
        lo, hi = wp["min_words"], wp["max_words"]
        assert isinstance(lo, int) and isinstance(hi, int), f"{key}: word limits must be ints"
        assert 0 < lo < hi, f"{key}: bad word limits {lo}-{hi}"
    assert {"A2", "B1", "B2", "C1", "C2"} <= wlevels, "need a writing prompt for every level A2-C2"
    assert not keys & wkeys, "item and writing keys overlap"
