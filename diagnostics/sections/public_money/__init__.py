"""The public-money section (Total Place): who spends public money in the place, on what, and how it is paid for."""
