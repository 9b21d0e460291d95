import type { Concept } from './concept.ts';

/**
 * Topics news watchers follow, each with the other words journalists use for it. Written from
 * newsroom usage (wire-service style guides, thesauri), one reason per concept; the idioms and
 * context words are the other senses that turn up in the same feeds.
 *
 * Alternatives are query fragments: a NEAR says "these words close together" where a phrase
 * would be too strict ("raised its key interest rate").
 */
export const TOPICS: readonly Concept[] = [
  // Conflict
  {
    reason: 'a halt to fighting in an armed conflict, under any of its names',
    kind: 'topic',
    names: ['ceasefire', 'truce', 'armistice'],
    also: [
      { query: 'truce', relation: 'synonym' },
      { query: 'armistice', relation: 'synonym' },
      { query: '"cessation of hostilities"', relation: 'synonym' },
      { query: '(halt OR pause OR end OR stop) NEAR/3 (fighting OR hostilities)', relation: 'wording' },
      { query: '"humanitarian pause"', relation: 'narrower term' },
    ],
    idioms: [
      { phrase: 'trade truce', reason: 'a pause in a trade dispute, not in fighting' },
      { phrase: 'tariff truce', reason: 'a pause in a trade dispute, not in fighting' },
    ],
    context: [
      {
        words: ['snooker', 'players', 'footballer', 'coach', 'manager', 'feud', 'rivals', 'trade'],
        distance: 6,
        reason: 'a truce between sportspeople or trade rivals, not warring parties',
      },
    ],
  },
  {
    reason: 'a military invasion, however it is reported',
    kind: 'topic',
    names: ['invasion', 'invade'],
    also: [
      { query: 'invade', relation: 'synonym' },
      { query: 'incursion', relation: 'synonym' },
      { query: '"full-scale attack" OR "full-scale war" OR "ground offensive"', relation: 'wording' },
      {
        query:
          '(troops OR tanks OR forces OR columns) NEAR/6 (crossed OR poured OR rolled OR entered) NEAR/6 border',
        relation: 'wording',
      },
    ],
    idioms: [
      { phrase: 'invasive species', reason: 'ecology, not war' },
      { phrase: 'invasive plants', reason: 'ecology, not war' },
      { phrase: 'minimally invasive', reason: 'medicine, not war' },
      { phrase: 'invasion of privacy', reason: 'law, not war' },
      { phrase: 'pitch invasion', reason: 'football crowds, not war' },
      { phrase: 'home invasion', reason: 'a burglary, not war' },
    ],
    context: [
      {
        words: ['species', 'weeds', 'plants', 'pitch', 'fans', 'privacy'],
        distance: 4,
        reason: 'ecology, sport or privacy, not war',
      },
    ],
  },
  {
    reason: 'a coup d’état: a seizure of power by force',
    kind: 'topic',
    names: ['coup', 'putsch', "coup d'etat"],
    also: [
      { query: 'putsch', relation: 'synonym' },
      { query: '"military takeover"', relation: 'synonym' },
      { query: '(seize OR seized OR took OR take) NEAR/2 power', relation: 'wording' },
      {
        query:
          '(topple OR toppled OR ousted OR overthrew OR overthrown) NEAR/6 (military OR army OR soldiers OR officers OR junta OR troops)',
        relation: 'wording',
      },
      { query: 'junta', relation: 'narrower term' },
    ],
    idioms: [
      { phrase: 'coup de grace', reason: 'a finishing blow, not a seizure of power' },
      { phrase: 'coup for', reason: '"a coup for the club": a success, not a seizure of power' },
      { phrase: 'marketing coup', reason: 'a success, not a seizure of power' },
      { phrase: 'PR coup', reason: 'a success, not a seizure of power' },
    ],
  },
  {
    reason: 'attacks carried out with drones',
    kind: 'topic',
    names: ['drone strike', 'drone attack', 'drone strikes'],
    also: [
      {
        query:
          '(drone OR drones OR UAV OR UAVs OR "unmanned aerial vehicle" OR "unmanned aircraft") NEAR/6 (attack OR strike OR hit OR struck OR targeted OR "shot down")',
        relation: 'wording',
      },
      {
        query: '"kamikaze drone" OR "attack drone" OR "explosive-laden drone" OR Shahed',
        relation: 'narrower term',
      },
    ],
    context: [
      {
        words: ['workers', 'union', 'pay', 'walkout', 'staff'],
        distance: 5,
        reason: 'a labour strike, not an attack',
      },
    ],
  },
  {
    reason: 'missiles and their kinds',
    kind: 'topic',
    names: ['missile', 'missiles'],
    also: [
      { query: 'ICBM OR ICBMs', relation: 'narrower term' },
      { query: '"ballistic missile" OR "cruise missile" OR projectile', relation: 'narrower term' },
      { query: 'rocket NEAR/3 (launch OR launched OR fired OR test)', relation: 'wording' },
    ],
  },
  {
    reason: 'attacks on merchant shipping',
    kind: 'topic',
    names: ['shipping attacks', 'attacks on shipping', 'ship attacks'],
    also: [
      {
        query:
          '(ship OR ships OR vessel OR vessels OR tanker OR "cargo ship" OR "bulk carrier" OR "container ship" OR "merchant shipping") NEAR/6 (attack OR attacked OR hit OR struck OR targeted OR target OR missile OR drone OR sank OR sinks)',
        relation: 'wording',
      },
    ],
  },
  {
    reason: 'people freed from captivity, or a deal to free them',
    kind: 'topic',
    names: ['hostage release', 'hostages released', 'release of hostages', 'hostages freed'],
    also: [
      {
        query:
          '(hostage OR hostages OR captive OR captives OR abductees OR kidnapped OR abducted) NEAR/6 (free OR freed OR release OR released OR return OR returned OR "handed over")',
        relation: 'wording',
      },
    ],
    idioms: [
      { phrase: 'press release', reason: 'a company statement, not a release of hostages' },
      { phrase: 'hostage to fortune', reason: 'an idiom, not a hostage' },
    ],
  },
  {
    reason: 'people forced to flee their homes or countries',
    kind: 'topic',
    names: ['refugees', 'refugee'],
    also: [
      { query: '"asylum seekers" OR asylum', relation: 'synonym' },
      { query: 'displaced OR displacement', relation: 'synonym' },
      {
        query: '(fled OR flee OR fleeing) NEAR/4 (homes OR border OR fighting OR war OR camps)',
        relation: 'wording',
      },
      { query: '"forced to flee"', relation: 'wording' },
    ],
    idioms: [{ phrase: 'tax refugees', reason: 'the wealthy moving for tax, not people forced to flee' }],
  },
  // Sanctions, seizure and confiscation
  {
    reason: 'penalties one state imposes on another state, its firms or its people',
    kind: 'topic',
    names: ['sanctions', 'sanction'],
    also: [
      { query: 'embargo', relation: 'narrower term' },
      { query: '"export ban" OR "import ban"', relation: 'narrower term' },
      { query: 'blacklist OR blacklists OR blacklisted', relation: 'synonym' },
      { query: '"asset freeze" OR "asset freezes"', relation: 'narrower term' },
      {
        query:
          '(penalties OR restrictions OR measures) NEAR/4 (banks OR firms OR companies OR oligarchs OR entities)',
        relation: 'wording',
      },
    ],
    context: [
      {
        words: ['FIFA', 'UEFA', 'club', 'team', 'teams', 'league', 'rugby', 'doping', 'player'],
        distance: 6,
        reason: 'sports sanctions, not state sanctions',
      },
    ],
  },
  {
    reason: 'authorities taking or freezing money and property',
    kind: 'topic',
    names: [
      'asset seizure',
      'asset seizures',
      'asset confiscation',
      'seized assets',
      'asset freeze',
      'asset forfeiture',
    ],
    also: [
      { query: 'confiscate OR confiscation OR confiscating', relation: 'synonym' },
      { query: 'expropriate OR expropriation', relation: 'synonym' },
      { query: 'impound OR impounded', relation: 'synonym' },
      { query: 'forfeiture', relation: 'synonym' },
      { query: 'nationalise OR nationalisation', relation: 'narrower term' },
      {
        query:
          '(freeze OR frozen OR immobilised OR seize OR seized) NEAR/4 (assets OR accounts OR reserves OR funds OR property)',
        relation: 'wording',
      },
    ],
    context: [
      {
        words: ['suffered', 'suffers', 'epileptic', 'epilepsy', 'collapsed'],
        distance: 3,
        reason: 'a medical seizure, not a seizure of assets',
      },
    ],
  },
  // Monetary policy and the economy
  {
    reason: 'a central bank raising its policy interest rate',
    kind: 'topic',
    names: ['rate hike', 'rate hikes', 'rate rise', 'rate increase', 'interest rate hike', 'raise rates'],
    also: [
      {
        query:
          '(raise OR raises OR raised OR lift OR lifts OR increase OR hike) NEAR/4 ("interest rate" OR "interest rates" OR "policy rate" OR "key rate" OR "deposit rate" OR "repo rate" OR "borrowing costs" OR "benchmark rate" OR "short-term rate")',
        relation: 'wording',
      },
      { query: '"monetary tightening" OR "tighten policy" OR "tightens policy"', relation: 'synonym' },
      { query: '"basis points" NEAR/4 (raise OR raised OR increase)', relation: 'wording' },
      { query: 'hike OR hikes', relation: 'synonym' },
    ],
  },
  {
    reason: 'the institutions that set a currency’s interest rates',
    kind: 'topic',
    names: ['central bank', 'central banks'],
    also: [
      { query: '"Federal Reserve" OR =Fed OR FOMC', relation: 'narrower term' },
      { query: 'ECB OR "European Central Bank"', relation: 'narrower term' },
      { query: '"Bank of England" OR BoE OR "Threadneedle Street"', relation: 'narrower term' },
      { query: '"Bank of Japan" OR BoJ', relation: 'narrower term' },
      { query: 'RBI OR "Reserve Bank"', relation: 'narrower term' },
      {
        query: '"Bank of Canada" OR "Swiss National Bank" OR Riksbank OR Bundesbank',
        relation: 'narrower term',
      },
      { query: '"People\'s Bank of China" OR PBOC', relation: 'narrower term' },
      { query: '"Monetary Policy Committee"', relation: 'narrower term' },
    ],
  },
  {
    reason: 'consumer prices rising',
    kind: 'topic',
    names: ['inflation'],
    also: [
      { query: '"consumer prices" OR "consumer price index" OR CPI', relation: 'synonym' },
      { query: '"cost of living"', relation: 'synonym' },
      { query: '"price growth" OR "price pressures"', relation: 'synonym' },
      { query: 'prices NEAR/3 (rose OR rise OR rising OR climbed OR soar OR jumped)', relation: 'wording' },
    ],
    idioms: [
      { phrase: 'grade inflation', reason: 'exam marks, not prices' },
      { phrase: 'tyre inflation', reason: 'tyre pressure, not prices' },
      { phrase: 'tire inflation', reason: 'tyre pressure, not prices' },
    ],
    context: [
      { words: ['tyre', 'tyres', 'tire', 'tires', 'grades', 'balloon'], distance: 4, reason: 'not prices' },
    ],
  },
  {
    reason: 'an economy shrinking',
    kind: 'topic',
    names: ['recession'],
    also: [
      {
        query:
          '(economy OR GDP OR output) NEAR/4 (shrank OR shrinks OR shrink OR contracts OR contracted OR contraction)',
        relation: 'wording',
      },
      { query: 'slump OR downturn', relation: 'synonym' },
      { query: '"negative growth"', relation: 'synonym' },
    ],
    context: [
      {
        words: ['glacier', 'glaciers', 'hairline', 'gum', 'gums', 'ice'],
        distance: 3,
        reason: 'something receding, not an economy',
      },
    ],
  },
  {
    reason: 'companies or governments cutting jobs',
    kind: 'topic',
    names: ['layoffs', 'layoff', 'job cuts', 'lay off'],
    also: [
      { query: '"job cuts" OR redundancies', relation: 'synonym' },
      { query: '"lay off" OR "laid off"', relation: 'synonym' },
      {
        query: '(cut OR cuts OR axe OR axes OR shed OR slash) NEAR/3 (jobs OR roles OR staff OR workforce)',
        relation: 'wording',
      },
      { query: '(lose OR lost) NEAR/2 (jobs OR job)', relation: 'wording' },
    ],
    context: [
      {
        words: ['injury', 'injured', 'knee', 'striker', 'forward', 'player', 'hamstring'],
        distance: 6,
        reason: 'a player out injured, not job cuts',
      },
    ],
  },
  {
    reason: 'taxes on imports',
    kind: 'topic',
    names: ['tariffs', 'tariff'],
    also: [
      {
        query: '(import OR customs OR punitive OR extra OR anti-dumping OR countervailing) NEAR/2 duties',
        relation: 'synonym',
      },
      {
        query: 'duties NEAR/4 (goods OR imports OR cars OR vehicles OR steel OR solar)',
        relation: 'wording',
      },
      { query: '"import taxes" OR "import tax"', relation: 'synonym' },
      { query: 'levies NEAR/4 (goods OR imports OR exports OR products)', relation: 'wording' },
    ],
  },
  {
    reason: 'the price of crude oil',
    kind: 'topic',
    names: ['oil prices', 'oil price', 'crude prices'],
    also: [
      { query: 'Brent OR WTI OR "West Texas Intermediate"', relation: 'narrower term' },
      {
        query: 'crude NEAR/4 (price OR prices OR barrel OR rose OR fell OR slumps OR jumped OR climbed)',
        relation: 'wording',
      },
      { query: '"a barrel"', relation: 'wording' },
    ],
    idioms: [
      { phrase: 'olive oil', reason: 'cooking oil, not crude' },
      { phrase: 'palm oil', reason: 'cooking oil, not crude' },
      { phrase: 'cooking oil', reason: 'not crude' },
      { phrase: 'sunflower oil', reason: 'cooking oil, not crude' },
      { phrase: 'vegetable oil', reason: 'cooking oil, not crude' },
    ],
  },
  {
    reason: 'government limits on exporting goods or technology',
    kind: 'topic',
    names: ['export controls', 'export control', 'export restrictions', 'export curbs'],
    also: [
      {
        query:
          '(export OR exports OR shipments OR sales OR selling) NEAR/5 (restrict OR restricts OR restrictions OR curb OR curbs OR ban OR barred OR licence OR licences OR license OR licensing)',
        relation: 'wording',
      },
    ],
  },
  {
    reason: 'semiconductors and the machines that make them',
    kind: 'topic',
    names: ['chip', 'chips', 'semiconductor', 'semiconductors'],
    also: [
      { query: 'semiconductor OR semiconductors', relation: 'synonym' },
      { query: 'chipmaking OR chipmaker OR chipmakers', relation: 'narrower term' },
      { query: '"AI processors" OR lithography', relation: 'narrower term' },
    ],
    idioms: [
      { phrase: 'potato chip', reason: 'food, not semiconductors' },
      { phrase: 'chocolate chip', reason: 'food, not semiconductors' },
      { phrase: 'blue chip', reason: 'shares, not semiconductors' },
      { phrase: 'poker chips', reason: 'gaming, not semiconductors' },
    ],
  },
  // Elections
  {
    reason: 'fraud or rigging in an election',
    kind: 'topic',
    names: ['election fraud', 'electoral fraud', 'voter fraud', 'vote rigging'],
    also: [
      { query: '"vote rigging" OR "ballot stuffing" OR "vote buying"', relation: 'narrower term' },
      { query: '"electoral fraud" OR "voter fraud"', relation: 'synonym' },
      {
        query: '(rigged OR rigging) NEAR/5 (election OR vote OR poll OR results OR count OR ballot)',
        relation: 'wording',
      },
      { query: 'irregularities NEAR/6 (vote OR election OR poll OR ballot OR count)', relation: 'wording' },
      {
        query: '(annul OR annuls OR annulled OR cancelled) NEAR/5 (vote OR election OR round)',
        relation: 'wording',
      },
    ],
  },
  {
    reason: 'public protest',
    kind: 'topic',
    names: ['protests', 'protest'],
    also: [
      { query: 'protesters OR demonstrators OR demonstration OR demonstrations', relation: 'synonym' },
      { query: 'rally OR rallies OR marchers', relation: 'synonym' },
      { query: '"took to the streets"', relation: 'wording' },
    ],
  },
  {
    reason: 'summits and leaders’ meetings',
    kind: 'topic',
    names: ['summit'],
    also: [
      { query: 'sommet', relation: 'other language' },
      { query: 'leaders NEAR/3 (meeting OR meet OR gather OR gathered)', relation: 'wording' },
      { query: '"heads of government" OR "heads of state"', relation: 'wording' },
    ],
  },
  // Disasters
  {
    reason: 'earthquakes',
    kind: 'topic',
    names: ['earthquake', 'quake'],
    also: [
      { query: 'quake OR temblor OR tremor OR aftershock', relation: 'synonym' },
      { query: '"seismic activity"', relation: 'wording' },
    ],
    idioms: [
      { phrase: 'political earthquake', reason: 'a shock result, not a quake' },
      { phrase: 'electoral earthquake', reason: 'a shock result, not a quake' },
    ],
  },
  {
    reason: 'floods from rain, rivers or sea',
    kind: 'topic',
    names: ['flooding', 'flood', 'floods'],
    also: [
      { query: 'deluge OR inundated OR inundation OR submerged', relation: 'synonym' },
      { query: '"flash floods" OR "flash flood"', relation: 'narrower term' },
      { query: 'burst NEAR/3 banks', relation: 'wording' },
      { query: 'floodwaters', relation: 'narrower term' },
    ],
    idioms: [
      { phrase: 'flooded with', reason: 'a great many of something, not water' },
      { phrase: 'flood of', reason: 'a great many of something, not water' },
    ],
    context: [
      {
        words: ['market', 'markets', 'imports', 'complaints', 'applications', 'calls', 'messages'],
        distance: 3,
        reason: 'a great many of something, not water',
      },
    ],
  },
  {
    reason: 'wildfires',
    kind: 'topic',
    names: ['wildfire', 'wildfires'],
    also: [
      { query: 'bushfire OR bushfires', relation: 'synonym' },
      { query: '"forest fire" OR "forest fires" OR "brush fire"', relation: 'synonym' },
      {
        query:
          '(blaze OR blazes OR fire OR fires) NEAR/6 (forest OR hectares OR acres OR moor OR heathland OR hillsides)',
        relation: 'wording',
      },
    ],
    idioms: [{ phrase: 'like wildfire', reason: '"spread like wildfire": fast, not a fire' }],
  },
  // Health
  {
    reason: 'cholera, which is reported as outbreaks',
    kind: 'topic',
    names: ['cholera outbreak', 'cholera outbreaks'],
    also: [
      { query: 'cholera', relation: 'narrower term' },
      { query: '"acute watery diarrhoea"', relation: 'synonym' },
    ],
  },
  {
    reason: 'pandemics and global health emergencies',
    kind: 'topic',
    names: ['pandemic', 'pandemics'],
    also: [
      { query: '"health emergency" OR "health emergencies"', relation: 'synonym' },
      { query: '"pandemic preparedness" OR "future outbreaks"', relation: 'wording' },
    ],
  },
  {
    reason: 'atomic energy and weapons programmes',
    kind: 'topic',
    names: ['nuclear'],
    also: [
      { query: 'atomic', relation: 'synonym' },
      { query: 'uranium OR enrichment OR centrifuges', relation: 'narrower term' },
      { query: '"nuclear watchdog" OR IAEA', relation: 'narrower term' },
    ],
    idioms: [{ phrase: 'nuclear family', reason: 'a household, not atomic energy' }],
  },
  {
    reason: 'cyberattacks',
    kind: 'topic',
    names: ['cyberattack', 'cyberattacks', 'cyber attack', 'hack'],
    also: [
      { query: 'hack OR hacked OR hackers OR hacking', relation: 'narrower term' },
      { query: 'ransomware OR malware OR DDoS', relation: 'narrower term' },
      { query: '"cyber attack" OR "cyber-attack"', relation: 'other spelling' },
      { query: 'breach NEAR/4 (data OR networks OR systems OR servers)', relation: 'wording' },
    ],
  },
  {
    reason: 'strikes by workers (a railway strike and the like)',
    kind: 'topic',
    names: ['rail strike', 'train strike', 'railway strike', 'rail strikes'],
    also: [
      {
        query:
          '(rail OR railway OR railways OR train OR trains OR drivers OR SNCF OR Aslef OR RMT OR GDL) NEAR/6 (strike OR strikes OR walkout OR "walk out" OR stoppages OR "industrial action")',
        relation: 'wording',
      },
    ],
    context: [
      {
        words: ['missile', 'drone', 'air', 'bowler', 'wickets'],
        distance: 3,
        reason: 'a military strike or a cricket strike, not a labour strike',
      },
    ],
  },
  {
    reason: 'humanitarian aid',
    kind: 'topic',
    names: ['aid'],
    also: [
      { query: '"humanitarian aid" OR "relief supplies" OR airdrops', relation: 'synonym' },
      {
        query:
          '(food OR medical OR humanitarian OR relief OR flour) NEAR/3 (supplies OR deliveries OR convoy OR trucks OR lorries OR assistance)',
        relation: 'wording',
      },
      { query: '"aid trucks" OR "aid lorries"', relation: 'narrower term' },
    ],
    idioms: [{ phrase: 'foreign aid budget', reason: 'a donor budget, not aid reaching people' }],
  },
];
