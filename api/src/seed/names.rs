//! What the seed draws from: names, places, phrases, and weighted HUD codes.

#[rustfmt::skip]
pub const FIRST_NAMES_FEMALE: &[&str] = &[
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica",
    "Sarah", "Karen", "Lisa", "Nancy", "Betty", "Sandra", "Margaret", "Ashley", "Kimberly",
    "Emily", "Donna", "Michelle", "Carol", "Amanda", "Melissa", "Deborah", "Stephanie",
    "Rebecca", "Sharon", "Laura", "Cynthia", "Dorothy", "Amy", "Kathleen", "Angela", "Shirley",
    "Brenda", "Emma", "Anna", "Pamela", "Nicole", "Samantha", "Katherine", "Christine", "Helen",
    "Debra", "Rachel", "Carolyn", "Janet", "Maria", "Catherine", "Heather", "Diane", "Olivia",
    "Julie", "Joyce", "Victoria", "Ruth", "Virginia", "Lauren", "Kelly", "Christina", "Joan",
    "Evelyn", "Judith", "Andrea", "Hannah", "Megan", "Cheryl", "Jacqueline", "Martha",
    "Madison", "Teresa", "Gloria", "Sara", "Janice", "Ann", "Kathryn", "Abigail", "Sophia",
    "Frances", "Jean", "Alice", "Judy", "Isabella", "Julia", "Grace", "Amber", "Denise",
    "Danielle", "Marilyn", "Beverly", "Charlotte", "Natalie", "Theresa", "Diana", "Brittany",
    "Doris", "Kayla", "Alexis", "Lori", "Marie", "Guadalupe", "Lucia", "Ximena", "Mei",
    "Aaliyah", "Imani", "Fatima", "Leilani", "Yesenia", "Nia",
];

#[rustfmt::skip]
pub const FIRST_NAMES_MALE: &[&str] = &[
    "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas",
    "Christopher", "Charles", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven",
    "Andrew", "Paul", "Joshua", "Kenneth", "Kevin", "Brian", "George", "Timothy", "Ronald",
    "Jason", "Edward", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric", "Jonathan",
    "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Gregory",
    "Alexander", "Patrick", "Frank", "Raymond", "Jack", "Dennis", "Jerry", "Tyler", "Aaron",
    "Jose", "Adam", "Nathan", "Henry", "Zachary", "Douglas", "Peter", "Kyle", "Noah", "Ethan",
    "Jeremy", "Walter", "Christian", "Keith", "Roger", "Terry", "Austin", "Sean", "Gerald",
    "Carl", "Harold", "Dylan", "Arthur", "Lawrence", "Jordan", "Jesse", "Bryan", "Billy",
    "Bruce", "Gabriel", "Joe", "Logan", "Alan", "Juan", "Albert", "Willie", "Elijah", "Wayne",
    "Randy", "Vincent", "Mason", "Roy", "Ralph", "Bobby", "Russell", "Bradley", "Philip",
    "Eugene", "Luis", "Carlos", "Wei", "Malik", "Tariq", "Kenji", "Mateo", "Darnell",
];

#[rustfmt::skip]
pub const LAST_NAMES: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans",
    "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris",
    "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
    "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson",
    "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
    "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster",
    "Jimenez", "Tran", "Begay", "Yazzie", "Kealoha", "Haddad", "Okafor", "Chen", "Wang",
];

pub const SUFFIXES: &[&str] = &["Jr.", "Sr.", "II", "III"];

pub const ASSESSMENT_LOCATIONS: &[&str] = &[
    "Harbor Access Center",
    "Downtown Drop-In",
    "Northside Library Outreach Desk",
    "Mobile Outreach Van",
    "County Hospital Discharge Office",
    "Valley Family Resource Center",
];

/// Questions of a prioritization assessment, each with the answers it may get.
pub const ASSESSMENT_QUESTIONS: &[(&str, &[&str])] = &[
    (
        "Nights homeless in the last 3 years",
        &["14", "45", "120", "365", "800"],
    ),
    (
        "Emergency room visits in the last 6 months",
        &["0", "1", "2", "5"],
    ),
    ("Has a source of income", &["Yes", "No"]),
    ("Household includes children under 18", &["Yes", "No"]),
    (
        "Fleeing domestic violence",
        &["No", "Yes", "Prefers not to answer"],
    ),
    (
        "Preferred area",
        &["Downtown", "Northside", "Valley", "Anywhere"],
    ),
];

pub const SERVICE_NOTES: &[&str] = &[
    "Housing search",
    "Bus pass provided",
    "Referred to benefits clinic",
    "Landlord outreach",
    "Follow-up call",
    "ID document replacement",
    "Meal and hygiene kit",
];

pub const OTHER_DESTINATIONS: &[&str] = &[
    "Moved in with a former coworker",
    "Camping with family out of state",
    "Employer-provided housing",
];

/// Exit destinations (HUD 3.12), weighted.
#[rustfmt::skip]
pub const DESTINATIONS: &[(i32, u32)] = &[
    (410, 14), (435, 14), (422, 8), (423, 5), (411, 1), (421, 1), (426, 1), (312, 9), (313, 6),
    (101, 8), (116, 6), (302, 4), (314, 2), (118, 1), (327, 1), (329, 1), (332, 1), (204, 1),
    (205, 2), (206, 1), (207, 2), (215, 1), (225, 1), (24, 1), (30, 5), (8, 1), (9, 1), (99, 2),
    (17, 1),
];

/// Rental subsidy types (HUD 3.12.A) of destination 435, weighted.
#[rustfmt::skip]
pub const SUBSIDIES: &[(i32, u32)] = &[
    (419, 2), (420, 2), (428, 1), (431, 6), (433, 5), (434, 3), (436, 1), (437, 1), (438, 1),
    (439, 3), (440, 1),
];

/// Prior living situations (HUD 3.917), weighted.
#[rustfmt::skip]
pub const PRIOR_LIVING: &[(i32, u32)] = &[
    (116, 25), (101, 20), (335, 14), (336, 10), (410, 6), (435, 2), (302, 4), (314, 4),
    (118, 1), (204, 1), (205, 2), (206, 2), (207, 3), (215, 1), (225, 1), (329, 1), (332, 1),
    (411, 1), (421, 1), (8, 1), (9, 1), (99, 2),
];

/// Lengths of stay in the prior living situation (HUD 3.917.2), weighted.
#[rustfmt::skip]
pub const LENGTHS_OF_STAY: &[(i32, u32)] = &[
    (10, 8), (11, 12), (2, 20), (3, 22), (4, 18), (5, 14), (8, 2), (9, 1), (99, 3),
];
