using System.Collections.Frozen;

namespace SocialCrm.Insights.Terms;

/// <summary>What the lexicon knows about a word; a word may be several things at once.</summary>
[Flags]
internal enum WordClass : uint
{
    None = 0,
    /// <summary>Function words, pronouns, auxiliaries, chat slang and interjections.</summary>
    Stop = 1 << 0,
    /// <summary>Adjectives, adverbs and opinion nouns ("awful", "really", "scam"): never a term.</summary>
    Modifier = 1 << 1,
    Verb = 1 << 2,
    /// <summary>Noun or verb ("order", "return"): a verb after a subject, "to" or a modal.</summary>
    Ambiguous = 1 << 3,
    /// <summary>Announces a verb: subject pronouns, "to", modals, negated auxiliaries.</summary>
    VerbCue = 1 << 4,
    Auxiliary = 1 << 5,
    /// <summary>Starts a new clause ("but", "however").</summary>
    Contrast = 1 << 6,
    /// <summary>"and": starts a new segment of the clause, scored on its own.</summary>
    Coordinator = 1 << 14,
    /// <summary>Too vague to be a term alone ("time", "product"), yet it may end one ("delivery time").</summary>
    Generic = 1 << 7,
    /// <summary>Never the object of an unusual use ("makes a great gift", "works great for the price").</summary>
    NotAUse = 1 << 8,
    Determiner = 1 << 9,
    ObjectPronoun = 1 << 10,
    /// <summary>A noun despite an adjective or verb suffix ("shipping", "supply", "request").</summary>
    Noun = 1 << 11,
    /// <summary>Praise that can introduce a use ("works great for", "also perfect for").</summary>
    Positive = 1 << 12,
    Intensifier = 1 << 13,
}

/// <summary>The part a word plays in the unusual-use patterns.</summary>
internal enum UseCue : byte
{
    None,
    Use,
    Double,
    Work,
    Repurpose,
    Turn,
    Make,
    Makeshift,
    AlsoEven,
    Instead,
    As,
    For,
    Of,
    Into,
}

internal readonly record struct Entry(WordClass Class, UseCue Cue)
{
    public bool Is(WordClass any) => (Class & any) != 0;
}

/// <summary>
/// A compact English lexicon for social-media text: enough to tell product nouns from the words around
/// them. Looked up by span, so reading a message allocates nothing. Unknown words are judged by their
/// shape in <see cref="WordRoles"/>.
/// </summary>
internal static class Lexicon
{
    private const string Determiners = "a an the this that these those my your ur yours our their his her its some any every each another no";

    private const string ObjectPronouns = "it them this these that those mine ours yours theirs one ones em";

    private const string StopWords = """
        me you he she it we they us him i u ya myself yourself itself ourselves themselves
        who whom whose which what whatever whoever when where why how there here than then so as at by for from in into of
        off on onto out over under up down with within without about above below after before between through during
        until till upon via per against among around across along toward towards behind beside besides near to too and
        or nor if because cause cuz coz bc since unless while whilst whether either neither both all none nothing
        nobody noone nowhere never ever always often sometimes usually again once also just only even still already
        yet soon now ago later very really quite rather such much many more most less least few lot lots bit plenty
        enough almost maybe perhaps probably instead otherwise anyway anyways anymore else etc like unlike
        is are was were be been being am do does did done doing have has had having will would shall should can could
        may might must ought isnt arent wasnt werent dont doesnt didnt havent hasnt hadnt wont wouldnt shant shouldnt
        cant cannot couldnt mustnt aint im ive id ill youre youve youd youll hes shes theyre theyve theyd theyll weve
        lets thats whats wheres whos hows theres heres itd itll well back away forever everywhere somewhere anywhere
        together alone far once twice ok okay alright yes yeah yea yep yup ye nope nah na not
        lol lmao lmfao rofl omg omfg wtf smh tbh imo imho idk ngl fr frfr btw fyi asap rn af asf irl ikr jk nvm
        pls plz please thx thanks thank ty tysm ily yall gonna wanna gotta kinda sorta lemme gimme dunno hey hi
        hello yo sup bro bruh dude sis fam babe hun lowkey highkey haha hehe xd xoxo ugh argh meh wow whoa yay damn
        dang oops ooh oh ah uh um hmm hm eh aw aww welp tho thru dm pm smth sth abt w wo b4 tmrw tmr ppl
        """;

    // Adjectives, adverbs and opinion nouns: what the sentiment analyzer reads, never what is talked about.
    private const string Modifiers = """
        good great best better nice cool fine awesome amazing excellent perfect perfectly fantastic wonderful
        brilliant superb outstanding incredible lovely beautiful gorgeous stunning pretty cute fab fabulous terrific
        impressive solid decent sturdy reliable comfy comfortable cozy cosy soft smooth sleek stylish elegant classy
        handy useful helpful friendly polite quick fast speedy easy simple clean fresh tasty delicious yummy
        affordable cheap cheaper cheapest pricey pricy expensive overpriced worth fair happy glad satisfied pleased
        grateful thankful excited obsessed impressed legit fire lit dope sick goated bomb epic insane crazy wild rad
        sweet neat bad worse worst poor awful terrible horrible horrendous dreadful atrocious abysmal pathetic
        useless worthless rubbish trash trashy garbage crap crappy shitty shit junk junky mid lame weak flimsy
        fragile broken defective faulty damaged dead cracked scratched dented torn ripped missing wrong late slow
        slower laggy buggy glitchy noisy loud quiet heavy tiny huge big bigger small smaller large larger little
        long longer short shorter tall wide narrow thin thick tight loose hot cold warm wet dry dirty dusty smelly
        stinky sticky greasy ugly tacky disappointed disappointing disappointment frustrating frustrated annoying
        annoyed angry mad upset sad unhappy furious livid disgusted disgusting unacceptable ridiculous rude
        unhelpful unprofessional incompetent lazy careless confusing confused complicated difficult hard
        impossible uncomfortable unreliable inconsistent misleading fake scam scammy sketchy shady dodgy iffy
        questionable mediocre average subpar overrated underrated new old older newer first last next other same
        different whole entire full empty real true main own extra single double ready available unavailable free
        normal regular standard basic original actual certain sure clear able unable possible likely special
        black white red blue green yellow orange purple pink brown grey gray silver golden beige navy dark bright
        high low top early daily weekly monthly yearly annual various several previous recent latest massive mini
        rough raw correct exact super ultra mega total busy sorry favorite favourite fave fav fan lover joke
        nightmare disaster mess waste ripoff rip-off fraud hassle pain fail failure letdown problem issue fault
        complaint mistake shady cheesy tasty flaky chunky bulky clunky shaky wonky edgy juicy crispy creamy spicy
        salty sticky sleepy hefty silky blurry grainy choppy lucky unlucky worthy trustworthy silly scary steady
        tidy messy fancy fluffy flashy glossy grumpy gloomy dreamy leaky squeaky scratchy spotty itchy soggy
        usable unusable wrong top-notch state-of-the-art so-so must-have
        two three four five six seven eight nine ten eleven twelve twenty thirty fifty hundred thousand million
        half couple dozen xs xl xxl xxxl medium
        terribly horribly badly barely hardly nearly really totally definitely absolutely completely seriously
        honestly literally basically actually surely simply certainly obviously apparently hopefully especially
        super hella mad makeshift okayish ok-ish
        """;

    private const string Verbs = """
        love loved loves loving like liked likes hate hated hates hating adore adored adores enjoy enjoyed enjoys
        recommend recommended recommends suggest appreciate appreciated deserve deserves want wanted wants need needs
        needed wish hope hoped expect expected think thought believe feel felt know knew known knows understand guess
        mean meant means say said says tell told tells ask asked asks see saw seen sees get got gets gotten getting
        go goes went gone going come came comes coming make makes made making take took takes taken taking give gave
        gives given giving keep kept keeps put puts let buy bought buys buying send sent sends receive received
        receives arrive arrived arrives arriving deliver delivered delivers try tried tries trying find found finds
        bring brought brings run ran runs hold held holds last lasts lasted break broke breaks fail failed fails
        die died dies stop stopped stops start started starts stay stays stayed become became becomes seem seems
        seemed happen happened happens wait waited waits waiting leave left leaves lose lost loses win won wins
        spend spent spends paid sell sold sells shipped cancel cancelled canceled cancels complain complained
        regret regretted miss missed misses own owned owns suck sucks sucked rock rocks rocked kill kills killed
        annoy annoys bother bothers disappoint disappoints impress amaze amazed blow blew blown respond responded
        solve solved resolve resolved handle handled install installed download downloaded replace replaced
        replacing tried turned works worked working use uses used using doubles doubled doubling repurpose
        repurposed repurposes repurposing built ordered returned refunded charged fixed lied owed
        """;

    private const string Ambiguous = """
        order orders return returns refund refunds charge charges help call calls reply replies answer ship ships
        review reviews update updates change changes fix check checks care cost costs pay play plays print prints
        text texts email emails message messages chat chats contact cover covers watch watches look looks feel feels
        fit fits smell smells taste tastes sound sounds work turn turns switch upgrade upgrades exchange set sets
        show shows drink drinks cook clean cleans wash washes design designs test tests support purchase stand open
        """;

    private const string VerbCues = """
        i you we they he she it u ya to will would can could should must might may shall dont doesnt didnt cant
        cannot wont wouldnt couldnt shouldnt please pls plz gonna wanna gotta lets
        """;

    private const string Auxiliaries = "is are was were am be been has have had isnt arent wasnt werent";

    private const string Contrasts = "but however although though tho whereas except";

    private const string Coordinators = "and";

    private const string Generics = """
        thing stuff product item brand company business way time day week month year hour minute second moment
        today tonight tomorrow yesterday morning evening night weekend monday tuesday wednesday thursday friday
        saturday sunday people person guy girl boy man woman lady everyone everybody everything anyone anybody
        anything someone somebody something kind sort type part piece end side place point reason fact kid child
        baby mom mum dad mother father wife husband son daughter sister brother friend family boyfriend girlfriend
        bf gf hubby partner folk star dollar buck euro quid cent usd purchase experience
        """;

    private const string NotUses = """
        gift present addition investment value deal choice option alternative price money cost job difference
        impression noise sound result reminder example replacement backup upgrade spare
        """;

    // Nouns that the suffix rules would misread: -ing, -ly, -est, -ful, -able words, and letter-only abbreviations.
    private const string Nouns = """
        shipping packaging charging pricing sizing tracking clothing bedding lighting seating padding stitching
        printing streaming billing booking handling cooling heating wiring plumbing flooring roofing lining
        filling frosting icing stuffing dressing seasoning topping pudding dumpling earring awning railing fitting
        casing housing coating plating string spring ceiling building feeling meeting wedding sibling offering
        setting listing rating ranking warning opening parking camping hiking fishing shopping banking marketing
        advertising branding messaging gaming recording painting drawing bearing landing crossing ending beginning
        training swimming running cycling
        supply reply assembly butterfly belly jelly bully lily rally anomaly monopoly italy july ally
        request contest interest forest harvest protest conquest manifest inquest bequest
        handful spoonful mouthful cupful
        vegetable timetable turntable constable collectible convertible deductible
        tv pc dvd usb ssd hdd lcd led hd sd gps nfc sms mms vr crm ps
        """;

    private const string Positives = """
        great good perfect perfectly well fine wonderfully wonderful amazing amazingly awesome excellent excellently
        nicely nice brilliantly brilliant beautifully ideal handy useful fantastic decent superb flawlessly fab
        fabulous lovely terrific outstanding
        """;

    private const string Intensifiers = """
        really so very super pretty just also even equally too quite absolutely actually totally surprisingly
        incredibly extremely especially honestly
        """;

    private static readonly FrozenDictionary<string, Entry> Words = Build();

    private static readonly FrozenDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> BySpan =
        Words.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The entry for a lower-case word, or for its singular when only that is listed ("guys").</summary>
    public static Entry Find(ReadOnlySpan<char> word)
    {
        if (BySpan.TryGetValue(word, out var entry)) return entry;
        if (word.Length > 3 && word.Length <= Singular.MaxWordLength && word[^1] == 's')
        {
            Span<char> singular = stackalloc char[Singular.MaxWordLength + 2];
            var length = Singular.Write(word, singular);
            if (length != word.Length && BySpan.TryGetValue(singular[..length], out entry)) return entry;
        }
        return default;
    }

    private static FrozenDictionary<string, Entry> Build()
    {
        var words = new Dictionary<string, Entry>(StringComparer.Ordinal);
        Add(words, StopWords, WordClass.Stop);
        Add(words, Determiners, WordClass.Stop | WordClass.Determiner);
        Add(words, ObjectPronouns, WordClass.Stop | WordClass.ObjectPronoun);
        Add(words, Auxiliaries, WordClass.Stop | WordClass.Auxiliary);
        Add(words, VerbCues, WordClass.VerbCue);
        Add(words, Modifiers, WordClass.Modifier);
        Add(words, Verbs, WordClass.Verb);
        Add(words, Ambiguous, WordClass.Ambiguous);
        Add(words, Contrasts, WordClass.Contrast);
        Add(words, Coordinators, WordClass.Stop | WordClass.Coordinator);
        Add(words, Generics, WordClass.Generic | WordClass.NotAUse);
        Add(words, NotUses, WordClass.NotAUse);
        Add(words, Nouns, WordClass.Noun);
        Add(words, Positives, WordClass.Positive);
        Add(words, Intensifiers, WordClass.Intensifier);

        Cue(words, "use uses used using", UseCue.Use);
        Cue(words, "double doubles doubled doubling", UseCue.Double);
        Cue(words, "work works worked working", UseCue.Work);
        Cue(words, "repurpose repurposes repurposed repurposing", UseCue.Repurpose);
        Cue(words, "turn turns turned turning", UseCue.Turn);
        Cue(words, "make makes made", UseCue.Make);
        Cue(words, "makeshift", UseCue.Makeshift);
        Cue(words, "also even", UseCue.AlsoEven);
        Cue(words, "instead", UseCue.Instead);
        Cue(words, "as", UseCue.As);
        Cue(words, "for", UseCue.For);
        Cue(words, "of", UseCue.Of);
        Cue(words, "into", UseCue.Into);
        return words.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static void Add(Dictionary<string, Entry> words, string list, WordClass wordClass)
    {
        foreach (var word in Split(list))
            words[word] = words.TryGetValue(word, out var entry) ? entry with { Class = entry.Class | wordClass } : new Entry(wordClass, UseCue.None);
    }

    private static void Cue(Dictionary<string, Entry> words, string list, UseCue cue)
    {
        foreach (var word in Split(list))
            words[word] = words.TryGetValue(word, out var entry) ? entry with { Cue = cue } : new Entry(WordClass.None, cue);
    }

    private static string[] Split(string list) =>
        list.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
