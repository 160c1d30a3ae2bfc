"""Context recognizers: names, places and identifiers found by the words around them.

Capital letters cannot be trusted in ASR text, so these look for cues instead: a title ("mister",
"doctor"), an introduction ("my name is"), a relation ("my daughter"), a place phrase ("moved here
from"), or an identifier's label ("member id is"). The census name gazetteer extends a name past its
first word and supplies the only context-free evidence (a first name followed by a surname).
"""

from raytranscribe.phi.context.identifiers import CuedIdentifierRecognizer
from raytranscribe.phi.context.names import NameRecognizer
from raytranscribe.phi.context.places import PlaceRecognizer

__all__ = ["CuedIdentifierRecognizer", "NameRecognizer", "PlaceRecognizer"]
