import Testing
import YachaqDomain

@Suite struct UbigeoTests {
    @Test(arguments: ["080101", "210101", "150101"])
    func acceptsSixDigits(_ code: String) {
        #expect(Ubigeo(code)?.code == code)
    }

    @Test(arguments: ["80101", "0801011", "08010a", "", "０８０１０１", "08 101"])
    func refusesAnythingElse(_ code: String) {
        #expect(Ubigeo(code) == nil)
    }
}
